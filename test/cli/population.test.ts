import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/cli/version.js";
import { contentDigest } from "../../src/core/digest.js";
import { runDemo } from "../../src/dev/demo/run-demo.js";
import { runCli } from "../helpers/capture.js";
import { tempDir } from "../helpers/temp-dir.js";
import { dayOf, steppingClock, TEST_NOW } from "../helpers/clock.js";

const run = promisify(execFile);

let root: string;
/** The evidence repository the App's end-to-end path leaves (npm run demo). */
let demo: string;
/** The same, plus hand-built records of acme/api that point at the commits of a real git clone. */
let extended: string;
let clone: string;
const shas: Record<string, string> = {};

const day = (offset: number) => dayOf(new Date(TEST_NOW.getTime() + offset * 86_400_000));
// The demo's story happens in the few hours before TEST_NOW: a period from two days before to that
// day holds it.
const FROM = day(-2);
const TO = day(0);

const HOSTILE_TITLE = '=HYPERLINK("http://evil.example"), "Zoë\'s" fix\nsecond line';

type Row = Record<string, string>;
const parseCsv = (text: string): Row[] => parse(text, { bom: true, columns: true }) as Row[];

let sequence = 100;

/**
 * A change record as the App writes one: its content digest and a chain link (the population
 * reads that a record is chained; whether the links hold is soc2 verify's to check). Without
 * `chained`, one filed by hand.
 */
function changeRecord(id: string, content: Record<string, unknown>, chained = true): string {
  const record = {
    version: 1,
    kind: "change-record",
    id,
    controls: ["CHG-01"],
    recorded_at: "2026-03-31T00:00:00Z",
    source: { type: "github-app", name: "population test" },
    digest: contentDigest(content),
    ...(chained ? { chain: { sequence: ++sequence, previous: `sha256:${"ab".repeat(32)}` } } : {}),
    content,
  };
  return stringify(record);
}

const person = { name: "Dana Dev", account: { id: 3001, login: "dana", type: "User" } };

/** Commits one file with a fixed author and committer date, so the history has known dates. */
async function commit(dir: string, file: string, subject: string, date: string): Promise<string> {
  await writeFile(join(dir, file), `${subject}\n`);
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  await git(dir, ["add", file], env);
  await git(
    dir,
    [
      "-c",
      "commit.gpgsign=false",
      "commit",
      "-q",
      "-m",
      subject,
      "--author",
      "Dana Dev <dana@example.com>",
    ],
    env,
  );
  return (await git(dir, ["rev-parse", "HEAD"], env)).trim();
}

async function git(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const { stdout } = await run("git", args, { cwd, env });
  return stdout;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "soc2-population-"));
  demo = join(root, "demo");
  await runDemo({ dir: demo, out: () => {}, now: steppingClock(TEST_NOW.toISOString()) });

  // A product repository with real commits on main: one squash merge and one direct push that
  // are recorded, and one commit that nobody recorded.
  const origin = join(root, "api-origin");
  await mkdir(origin);
  await git(origin, ["init", "-q", "-b", "main"]);
  await git(origin, ["config", "user.name", "Dana Dev"]);
  await git(origin, ["config", "user.email", "dana@example.com"]);
  shas.initial = await commit(origin, "README.md", "Initial commit", "2026-02-20T10:00:00Z");
  shas.squash = await commit(origin, "export.ts", "Add export (#10)", "2026-03-02T10:00:00Z");
  shas.push = await commit(origin, "timeout.ts", "Bump the timeout", "2026-03-05T10:00:00Z");
  shas.stray = await commit(origin, "sneaky.ts", "Sneak a change in", "2026-03-09T10:00:00Z");
  clone = join(root, "api-clone");
  await git(root, ["clone", "-q", origin, clone]);
  // A commit on the clone's local main that was never pushed is not part of the branch's history.
  await git(clone, ["config", "user.name", "Dana Dev"]);
  await git(clone, ["config", "user.email", "dana@example.com"]);
  shas.localOnly = await commit(clone, "local.ts", "Local only", "2026-03-06T10:00:00Z");

  extended = join(root, "extended");
  await cp(demo, extended, { recursive: true });
  const folder = join(extended, "evidence/changes/acme/api/2026/03");
  await mkdir(folder, { recursive: true });
  const repository = { id: 2001, full_name: "acme/api" };
  await writeFile(
    join(folder, "pr-10.yml"),
    changeRecord("changes/acme/api/2026/03/pr-10", {
      repository,
      change: {
        type: "pull-request",
        number: 10,
        title: HOSTILE_TITLE,
        url: "https://github.com/acme/api/pull/10",
        author: person.account,
        base_ref: "main",
        head_sha: "a".repeat(40),
        merged_sha: shas.squash,
        merge_method: "squash",
        merged_at: "2026-03-02T10:00:00Z",
        merged_by: { id: 3002, login: "erin", type: "User" },
      },
      commits: [{ sha: "a".repeat(40), message: "Add export", author: person, committer: person }],
      reviews: [
        {
          id: 9001,
          reviewer: { id: 3002, login: "erin", type: "User" },
          state: "APPROVED",
          commit_id: "a".repeat(40),
          submitted_at: "2026-03-02T09:00:00Z",
        },
      ],
      checks: [{ name: "ci", conclusion: "success", sha: "a".repeat(40) }],
      tickets: ["API-7"],
      verdict: { result: "pass", evaluated_at: "2026-03-02T10:00:01Z", rules: [] },
    }),
  );
  await writeFile(
    join(folder, `push-${shas.push.slice(0, 12)}.yml`),
    changeRecord(`changes/acme/api/2026/03/push-${shas.push.slice(0, 12)}`, {
      repository,
      change: {
        type: "direct-push",
        base_ref: "main",
        merged_sha: shas.push,
        merge_method: "push",
        merged_at: "2026-03-05T10:00:00Z",
        merged_by: person.account,
      },
      commits: [{ sha: shas.push, message: "Bump the timeout", author: person, committer: person }],
      reviews: [],
      checks: [],
      verdict: {
        result: "fail",
        evaluated_at: "2026-03-05T10:00:01Z",
        rules: [{ rule: "direct-push", result: "fail", reason: "pushed straight to main" }],
      },
      exception: { type: "direct-push", reason: "dana pushed straight to main" },
    }),
  );
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("soc2 population over the demo's evidence", () => {
  it("writes CSV with a byte order mark, a header row and one row per change, exceptions flagged", async () => {
    const result = await runCli("population", demo, "--from", FROM, "--to", TO, "--format", "csv");
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith("\uFEFF")).toBe(true);
    const header = result.stdout.slice(1).split("\r\n", 1)[0]!.split(",");
    expect(header).toEqual(
      expect.arrayContaining([
        "record",
        "approvers",
        "approved commit = merged head",
        "verdict",
        "exception",
        "exception type",
      ]),
    );
    const rows = parseCsv(result.stdout);
    expect(rows).toHaveLength(3);
    const byRecord = Object.fromEntries(
      rows.map((r) => [
        r
          .record!.split("/")
          .at(-1)!
          .replace(/-[0-9a-f]{12}$/, ""),
        r,
      ]),
    );
    expect(byRecord["pr-1"]).toMatchObject({
      type: "pull request",
      number: "1",
      author: "alice",
      approvers: "bob",
      "approved commit = merged head": "yes",
      "merge method": "squash",
      tickets: "PAY-101",
      "checks passed": "yes",
      checks: "ci=success",
      verdict: "pass",
      exception: "no",
    });
    expect(byRecord["pr-2"]).toMatchObject({
      approvers: "",
      "approved commit = merged head": "no",
      verdict: "fail",
      exception: "yes",
      "exception type": "bypass",
    });
    expect(byRecord["push"]).toMatchObject({
      type: "direct push",
      exception: "yes",
      "exception type": "direct-push",
    });
    expect(byRecord["push"]!["exception reason"]).toMatch(/directly to main/);
    // Without git history the command says that completeness was not checked, and how to check it.
    expect(result.stderr).toContain("3 change(s) merged");
    expect(result.stderr).toContain("2 exception(s) flagged");
    expect(result.stderr).toMatch(
      /completeness not checked[\s\S]*--history <owner\/name>=<path to the clone>/,
    );
  });

  it("writes XLSX that reads back with one row per change and exception rows filled", async () => {
    const out = join(await tempDir(), "population.xlsx");
    const result = await runCli(
      "population",
      demo,
      "--from",
      FROM,
      "--to",
      TO,
      "--format",
      "xlsx",
      "--out",
      out,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.getWorksheet("Population")!;
    expect(sheet.rowCount).toBe(4);
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => headers.indexOf(name) + 1;
    for (let r = 2; r <= 4; r++) {
      const row = sheet.getRow(r);
      const exception = row.getCell(col("exception")).value === "yes";
      const fill = row.getCell(1).fill as { fgColor?: { argb?: string } } | undefined;
      expect(fill?.fgColor?.argb, `row ${r}`).toBe(exception ? "FFFFC7CE" : undefined);
    }
    const exceptions = [2, 3, 4].filter(
      (r) => sheet.getRow(r).getCell(col("exception")).value === "yes",
    );
    expect(exceptions).toHaveLength(2);
    expect(workbook.getWorksheet("About")).toBeDefined();
  });

  it("stores XLSX timestamps as real UTC dates, and names the chain head and tool version", async () => {
    const out = join(await tempDir(), "population.xlsx");
    const args = ["population", demo, "--from", FROM, "--to", TO];
    expect((await runCli(...args, "--format", "xlsx", "--out", out)).code).toBe(0);
    const json = JSON.parse((await runCli(...args, "--format", "json")).stdout) as {
      changes: Array<{ id: string; mergedAt: string; recordedAt: string }>;
    };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.getWorksheet("Population")!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => headers.indexOf(name) + 1;
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const change = json.changes.find((c) => c.id === row.getCell(col("record")).value)!;
      for (const [header, iso] of [
        ["merged at", change.mergedAt],
        ["recorded at", change.recordedAt],
      ] as const) {
        const cell = row.getCell(col(header));
        expect(cell.value, `${header} of row ${r}`).toBeInstanceOf(Date);
        // The same instant, read as UTC: no time-zone shift on the way in or out.
        expect((cell.value as Date).toISOString()).toBe(new Date(Date.parse(iso)).toISOString());
        expect(cell.numFmt).toBe("yyyy-mm-dd hh:mm:ss");
      }
    }
    const about = new Map<string, unknown>();
    workbook.getWorksheet("About")!.eachRow((row) => {
      about.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    const head = JSON.parse(await readFile(join(demo, "evidence/chain-head.json"), "utf8")) as {
      sequence: number;
      digest: string;
    };
    expect(about.get("evidence chain head")).toBe(
      `sequence ${head.sequence}, ${head.digest} (from evidence/chain-head.json; check it with soc2 verify)`,
    );
    expect(about.get("soc2-as-code version")).toBe(VERSION);
    expect(about.get("dates")).toMatch(/^UTC/);
  });

  it("writes JSON with the rows and a completeness section", async () => {
    const result = await runCli("population", demo, "--from", FROM, "--to", TO, "--format", "json");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      period: { from: string; to: string };
      count: number;
      exceptions: number;
      changes: Array<{ id: string; approvedHead: boolean; exception?: { type: string } }>;
      completeness: { checked: boolean };
    };
    expect(json.period).toEqual({ from: FROM, to: TO });
    expect(json.count).toBe(3);
    expect(json.exceptions).toBe(2);
    expect(json.changes.map((c) => c.exception?.type ?? null).sort()).toEqual([
      "bypass",
      "direct-push",
      null,
    ]);
    expect(json.completeness.checked).toBe(false);
    // Written change by change, the text is what JSON.stringify makes of the whole report.
    expect(result.stdout).toBe(JSON.stringify(json, null, 2) + "\n");
    expect(Object.keys(json)).toEqual(["period", "count", "exceptions", "changes", "completeness"]);
  });

  it("writes JSON with an empty list of changes when none was merged in the period", async () => {
    const none = await runCli(
      "population",
      demo,
      "--from",
      "2020-01-01",
      "--to",
      "2020-12-31",
      "--repo",
      "acme/web",
      "--format",
      "json",
    );
    expect(none.code).toBe(0);
    const json = JSON.parse(none.stdout) as { changes: unknown[]; repository: string };
    expect(json.changes).toEqual([]);
    expect(json.repository).toBe("acme/web");
    expect(none.stdout).toBe(JSON.stringify(json, null, 2) + "\n");
  });

  it("filters by repository and by period", async () => {
    const other = await runCli(
      "population",
      demo,
      "--from",
      FROM,
      "--to",
      TO,
      "--repo",
      "acme/other",
    );
    expect(other.code).toBe(0);
    expect(parseCsv(other.stdout)).toHaveLength(0);
    expect(
      (await runCli("population", demo, "--from", FROM, "--to", TO, "--repo", "ACME/web")).stdout,
    ).toContain("pr-1");

    const before = await runCli("population", demo, "--from", "2020-01-01", "--to", "2020-12-31");
    expect(parseCsv(before.stdout)).toHaveLength(0);

    const march = await runCli(
      "population",
      extended,
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--format",
      "json",
    );
    expect(
      (JSON.parse(march.stdout) as { changes: Array<{ repository: string }> }).changes.map(
        (c) => c.repository,
      ),
    ).toEqual(["acme/api", "acme/api"]);
    const api = await runCli(
      "population",
      extended,
      "--from",
      "2026-01-01",
      "--to",
      TO,
      "--repo",
      "acme/api",
    );
    expect(parseCsv(api.stdout)).toHaveLength(2);
    const all = await runCli("population", extended, "--from", "2026-01-01", "--to", TO);
    expect(parseCsv(all.stdout)).toHaveLength(5);
    expect(all.stderr).not.toMatch(/soc2 validate finds/);
  });

  it("marks a change record outside the hash chain, and warns that validate finds it", async () => {
    const dir = join(await tempDir(), "fabricated");
    await cp(extended, dir, { recursive: true });
    const id = "changes/acme/api/2026/03/pr-11";
    await writeFile(
      join(dir, "evidence", `${id}.yml`),
      changeRecord(
        id,
        {
          repository: { id: 2001, full_name: "acme/api" },
          change: {
            type: "pull-request",
            number: 11,
            title: "Sneak a change in",
            base_ref: "main",
            merged_sha: shas.stray,
            merge_method: "squash",
            merged_at: "2026-03-09T10:00:00Z",
          },
          commits: [],
          reviews: [],
          checks: [],
          verdict: { result: "pass", evaluated_at: "2026-03-09T10:00:01Z", rules: [] },
        },
        false,
      ),
    );
    const result = await runCli("population", dir, "--from", "2026-03-01", "--to", "2026-03-31");
    expect(result.code).toBe(0);
    const rows = parseCsv(result.stdout);
    expect(rows.map((r) => [r.record, r["in hash chain"]])).toEqual([
      ["changes/acme/api/2026/03/pr-10", "yes"],
      [`changes/acme/api/2026/03/push-${shas.push!.slice(0, 12)}`, "yes"],
      [id, "no: not written by the App"],
    ]);
    expect(result.stderr).toMatch(/soc2 validate finds/);

    // It still ties the stray commit, but completeness says the tie rests on an unchained record.
    const history = await runCli(
      "population",
      dir,
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--history",
      `acme/api=${clone}`,
    );
    expect(history.stderr).toContain(
      `note: 1 commit(s) are tied only to records outside the hash chain, which the App did not write (run soc2 verify): ${id}`,
    );
  });

  it("quotes titles with commas, quotes, line breaks and non-ASCII, and keeps formulas from running", async () => {
    const result = await runCli(
      "population",
      extended,
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--repo",
      "acme/api",
    );
    const rows = parseCsv(result.stdout);
    const pr = rows.find((r) => r.number === "10")!;
    expect(pr.title).toBe(`'${HOSTILE_TITLE}`);
    expect(pr.approvers).toBe("erin");
    expect(pr["approved commit = merged head"]).toBe("yes");
  });
});

describe("soc2 population --history (completeness)", () => {
  it("names a commit on main that no record accounts for, and exits 1", async () => {
    const result = await runCli(
      "population",
      extended,
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--history",
      `acme/api=${clone}`,
      "--format",
      "json",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "3 commit(s) on 1 protected branch(es); 1 tied to a recorded change, 1 to a recorded exception, 1 unaccounted for",
    );
    expect(result.stderr).toContain(
      `✗ ${shas.stray} 2026-03-09T10:00:00Z Dana Dev <dana@example.com>: Sneak a change in`,
    );
    expect(result.stderr).not.toContain(shas.localOnly!);
    const json = JSON.parse(result.stdout) as {
      completeness: {
        checked: boolean;
        complete: boolean;
        totals: Record<string, number>;
        unaccounted: Array<{ sha: string; subject: string; author: string; committedAt: string }>;
        branches: Array<{
          ref: string;
          matches: Array<{ sha: string; record: string; how: string }>;
        }>;
      };
    };
    expect(json.completeness.checked).toBe(true);
    expect(json.completeness.complete).toBe(false);
    expect(json.completeness.totals).toEqual({
      commits: 3,
      recorded: 1,
      exceptions: 1,
      unaccounted: 1,
    });
    expect(json.completeness.unaccounted).toEqual([
      expect.objectContaining({
        sha: shas.stray,
        subject: "Sneak a change in",
        author: "Dana Dev",
        committedAt: "2026-03-09T10:00:00Z",
      }),
    ]);
    expect(json.completeness.branches[0]!.ref).toBe("refs/remotes/origin/main");
    expect(json.completeness.branches[0]!.matches).toEqual([
      expect.objectContaining({ sha: shas.push, how: "merged-commit" }),
      expect.objectContaining({
        sha: shas.squash,
        record: "changes/acme/api/2026/03/pr-10",
        how: "merged-commit",
      }),
    ]);
  });

  it("exits 0 when every commit of the period is recorded", async () => {
    const result = await runCli(
      "population",
      extended,
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-08",
      "--history",
      `acme/api=${clone}`,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "2 commit(s) on 1 protected branch(es); 1 tied to a recorded change, 1 to a recorded exception, 0 unaccounted for",
    );
    expect(result.stderr).toContain(
      "✓ every commit in the period is tied to a change record or a recorded exception",
    );
  });

  it("lists unaccounted commits on their own sheet in XLSX", async () => {
    const out = join(await tempDir(), "population.xlsx");
    const result = await runCli(
      "population",
      extended,
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--history",
      `acme/api=${clone}`,
      "--format",
      "xlsx",
      "--out",
      out,
    );
    expect(result.code).toBe(1);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.getWorksheet("Unaccounted commits")!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(3).value).toBe(shas.stray);
    expect(sheet.getRow(2).getCell(4).value).toBeInstanceOf(Date);
  });
});

describe("soc2 population usage errors (exit 2)", () => {
  const run = (...args: string[]) => runCli("population", demo, ...args);

  it("rejects dates that do not exist and a period that ends before it starts", async () => {
    const bad = await run("--from", "2026-02-30", "--to", TO);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "2026-02-30" is not a date/);
    const backwards = await run("--from", TO, "--to", "2020-01-01");
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/is after --to/);
  });

  it("requires --out for XLSX", async () => {
    const result = await run("--from", FROM, "--to", TO, "--format", "xlsx");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out/);
    expect(result.stdout).toBe("");
  });

  it("rejects a malformed or unreadable --history", async () => {
    const notGit = await tempDir();
    for (const [spec, message] of [
      ["acme/api", /write it as owner\/name=path/],
      ["not a repo=/tmp", /not a repository/],
      [`acme/api=${join(notGit, "missing")}`, /no such folder/],
      [`acme/api=${notGit}`, /not a git repository/],
    ] as const) {
      const result = await run("--from", FROM, "--to", TO, "--history", spec);
      expect(result.code, spec).toBe(2);
      expect(result.stderr, spec).toMatch(message);
    }
    const mismatch = await run(
      "--from",
      FROM,
      "--to",
      TO,
      "--repo",
      "acme/web",
      "--history",
      `acme/api=${clone}`,
    );
    expect(mismatch.code).toBe(2);
  });
});
