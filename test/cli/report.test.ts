import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRepository } from "../../src/adapters/read-repository.js";
import type { Type1Report, Type2Report } from "../../src/core/audit/report.js";
import { validateRepository } from "../../src/core/validate.js";
import { runDemo } from "../../src/dev/demo/run-demo.js";
import { runCli } from "../helpers/capture.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";

const root = new URL("../../", import.meta.url).pathname;

describe("soc2 report on the evidence the App wrote (npm run demo)", () => {
  let base: string;
  let dir: string;
  /** The first and last day of the story's changes. */
  let from: string;
  let to: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "soc2-report-demo-"));
    dir = join(base, "evidence-repo");
    await runDemo({ dir, out: () => {}, now: steppingClock(TEST_NOW.toISOString()) });
    const { repository } = validateRepository(await readRepository(dir), { now: TEST_NOW });
    const days = repository.evidence
      .map((r) => (r.content as { change?: { merged_at?: string } }).change?.merged_at)
      .filter((d): d is string => d !== undefined)
      .map((d) => d.slice(0, 10))
      .sort();
    from = days[0]!;
    to = days.at(-1)!;
  }, 60_000);

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("accounts for the changes, the verdicts and both exceptions (Type 2, JSON)", async () => {
    const result = await runCli(
      "report",
      dir,
      "--type",
      "2",
      "--from",
      from,
      "--to",
      to,
      "--format",
      "json",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Type2Report;
    expect(report.period).toEqual({ from, to, source: "option" });
    expect(report.statement).toMatch(
      /^Prepared by management .* not an auditor's report and expresses no opinion/,
    );
    expect(report.totals).toMatchObject({ records: 8, changes: 3, exceptions: 2 });
    const chg = report.controls.find((c) => c.id === "CHG-01")!;
    expect(chg).toMatchObject({
      frequency: "per-occurrence",
      records: 8,
      byKind: { "change-record": 3, "pull-request-event": 3, "review-event": 2 },
      assessment: "per-occurrence",
    });
    expect(report.changeManagement.find((s) => s.control === "CHG-01")).toMatchObject({
      changes: 3,
      pullRequests: 2,
      directPushes: 1,
      verdicts: { pass: 1, fail: 2, pending: 0, unknown: 0 },
      approvedHead: 1,
      exceptions: 2,
      exceptionsByType: { bypass: 1, "direct-push": 1 },
      repositories: [{ repository: "acme/web", changes: 3 }],
    });
    expect(
      report.exceptions.map((e) => [e.type, e.change.replace(/[0-9a-f]{7}$/, "<sha>")]),
    ).toEqual([
      ["bypass", "#2"],
      ["direct-push", "direct push <sha>"],
    ]);
    for (const e of report.exceptions) {
      expect(e.reason.length).toBeGreaterThan(10);
      expect(["open", "awaiting-review"]).toContain(e.reviewState); // no retrospective review in the story
    }
    // A weekly control with no evidence shows its gaps.
    const weekly = report.controls.find((c) => c.frequency === "weekly" && c.records === 0)!;
    expect(weekly.assessment).toBe("no-evidence");
    expect(weekly.gaps).toEqual([{ from, to, intervals: weekly.expected }]);
  });

  it("renders Markdown and HTML, the same bytes on every run, and writes --out", async () => {
    const args = ["report", dir, "--type", "2", "--from", from, "--to", to];
    const first = await runCli(...args);
    const second = await runCli(...args);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).toContain("## Exceptions register\n");
    expect(first.stdout).toMatch(
      /\| `changes\/acme\/web\/\d{4}\/\d{2}\/pr-2` \| acme\/web \| \[#2\]\(http:\/\/127\.0\.0\.1:\d+\/acme\/web\/pull\/2\) \| .* \| bypass \| merged by alice /,
    );
    expect(first.stdout).toContain("| CHG-01 | 3 | 2 | 1 | 1 | 2 | 0 | 1 |");

    const out = join(await tempDir(), "reports", "type2.html");
    const html = await runCli(...args, "--format", "html", "--out", out);
    expect(html.code).toBe(0);
    expect(html.stdout).toBe("");
    expect(html.stderr).toBe(`wrote the Type 2 report to ${out}\n`);
    const page = await readFile(out, "utf8");
    expect(page.startsWith("<!doctype html>\n")).toBe(true);
    expect(page).toContain("<h2>Exceptions register</h2>");
    expect(page).not.toMatch(/<script/i);
  });

  it("describes the scaffolded program as of its audit date (Type 1)", async () => {
    const result = await runCli("report", dir, "--type", "1", "--format", "json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Type1Report;
    expect(report.asOfSource).toBe("audit.as_of");
    expect(report.organization.name).toBe("Acme Cloud, Inc.");
    expect(report.controls.length).toBeGreaterThan(30);
    expect(report.coverage).toEqual([expect.objectContaining({ category: "security", gaps: 0 })]);
  });
});

describe("soc2 report on this repository", () => {
  it("describes its system and controls (Type 1), deterministically", async () => {
    const result = await runCli("report", root, "--type", "1");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const markdown = result.stdout;
    expect(markdown.split("\n")[0]).toBe(
      "# Description of the Acme Cloud Platform system and its controls as of 2027-06-30",
    );
    expect(markdown).toContain("**As of:** 2027-06-30 (`audit.period.end` in soc2.yml)");
    expect(markdown).toContain(
      "| Managed cloud provider | Compute, managed databases, object storage and physical data center security | carve-out: its controls are excluded from this description |",
    );
    expect(markdown).toContain(
      "Trust Services categories in scope: Security, Availability, Confidentiality.",
    );
    const { repository } = validateRepository(await readRepository(root), { now: TEST_NOW });
    for (const control of repository.controls)
      expect(markdown).toContain(`### ${control.id}: ${control.title}\n`);
    for (const policy of repository.policies)
      expect(markdown).toContain(`| ${policy.id} | ${policy.title} | `);
    expect(markdown).toContain(
      "| POL-CHANGE | Change Management Policy | 1.0 | Head of Engineering (Priya Raman) | annually |",
    );
    expect((await runCli("report", root, "--type", "1")).stdout).toBe(markdown);

    const json = JSON.parse(
      (await runCli("report", root, "--type", "1", "--as-of", "2026-12-01", "--format", "json"))
        .stdout,
    ) as Type1Report;
    expect(json).toMatchObject({ asOf: "2026-12-01", asOfSource: "option" });
    expect(json.controls).toHaveLength(repository.controls.length);
  });

  it("accounts for its two manual records (Type 2)", async () => {
    const result = await runCli(
      "report",
      root,
      "--type",
      "2",
      "--to",
      "2026-12-31",
      "--format",
      "json",
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Type2Report;
    expect(report.period).toEqual({ from: "2026-07-01", to: "2026-12-31", source: "option" });
    expect(report.totals).toMatchObject({ records: 2, changes: 0, exceptions: 0 });
    expect(report.controls.find((c) => c.id === "ACC-04")).toMatchObject({
      records: 1,
      expected: 2,
      observed: 1,
      gaps: [{ from: "2026-07-01", to: "2026-09-30", intervals: 1 }],
    });
    expect(report.findings).toEqual([
      expect.objectContaining({
        record: "attestations/2026/2026-10-02-access-review-q3",
        resolvedOn: "2026-10-02",
      }),
    ]);
  });

  it("writes a public control summary that is not called a SOC 3 report", async () => {
    const markdown = await runCli("summary", root);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout.split("\n")[0]).toBe("# Public control summary: Acme Cloud Platform");
    expect(markdown.stdout).toContain(
      "It is not a SOC 3 report: a SOC 3 report is issued only by an independent CPA firm",
    );
    expect(markdown.stdout.match(/SOC 3 report/g)).toHaveLength(2);
    expect(markdown.stdout).toContain("### CC8: Change Management\n\n- ");
    expect(markdown.stdout).toContain("| Security | 33 | 33 | 0 | 0 | 0 |");
    expect(markdown.stdout).not.toMatch(/attestations\/|Obtain the population|procedure/i);
    const html = await runCli("summary", root, "--format", "html");
    expect(html.code).toBe(0);
    expect(html.stdout).toContain("<h1>Public control summary: Acme Cloud Platform</h1>");
    expect((await runCli("summary", root, "--format", "html")).stdout).toBe(html.stdout);
  });
});

describe("soc2 report and soc2 summary: arguments", () => {
  it("refuses what it cannot do, with exit status 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["report", root, "--type", "3"], /unknown --type "3"/],
      [["report", root, "--type", "1", "--from", "2026-01-01"], /--from and --to are for --type 2/],
      [["report", root, "--type", "2", "--as-of", "2026-01-01"], /--as-of is for --type 1/],
      [
        ["report", root, "--type", "1", "--as-of", "2026-02-30"],
        /--as-of "2026-02-30" is not a date/,
      ],
      [
        ["report", root, "--type", "2", "--from", "2026-12-01", "--to", "2026-01-01"],
        /starts \(2026-12-01\) after it ends/,
      ],
      [["report", root, "--type", "1", "--format", "pdf"], /unknown --format "pdf"/],
      [["summary", root, "--format", "json"], /unknown --format "json"/],
      [["report", join(root, "no-such-folder"), "--type", "1"], /does not exist/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it("needs a date or a period from the options or soc2.yml, and a soc2.yml", async () => {
    const dir = await tempDir();
    await writeTree(dir, minimalRepo()); // Type 1 as of 2026-01-01, no period
    expect((await runCli("report", dir, "--type", "1")).code).toBe(0);
    const type2 = await runCli("report", dir, "--type", "2");
    expect(type2.code).toBe(2);
    expect(type2.stderr).toMatch(/no period for the account: pass --from and --to/);
    const program = await readFile(join(dir, "soc2.yml"), "utf8");
    await writeFile(join(dir, "soc2.yml"), program.replace('as_of: "2026-01-01"', "as_of: null"));
    const type1 = await runCli("report", dir, "--type", "1");
    expect(type1.code).toBe(2);
    expect(type1.stderr).toMatch(/no date for the description: pass --as-of/);
    const empty = await tempDir();
    const none = await runCli("summary", empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/has no soc2.yml/);
  });

  it("still writes the report when the repository has errors, and says so with exit status 1", async () => {
    const dir = await tempDir();
    for (const path of ["soc2.yml", "controls", "policies", "evidence"])
      await cp(join(root, path), join(dir, path), { recursive: true });
    await writeFile(join(dir, "controls/broken.yml"), "id: BROKEN-01\ntitle: x\n");
    const result = await runCli("report", dir, "--type", "1", "--as-of", "2026-12-01");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("# Description of the Acme Cloud Platform system");
    expect(result.stderr).toMatch(
      /^warning: the repository has \d+ validation error\(s\), so the Type 1 report may be incomplete: run soc2 validate\n$/,
    );
  });
});
