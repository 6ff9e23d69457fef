import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/capture.js";
import { useDemoEvidence } from "../helpers/demo-evidence.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

interface Json {
  ready: boolean;
  asOf: string;
  basis: { kind: string };
  categories: Array<{ category: string; score: number | null }>;
  gapCount: number;
  gaps: Array<{ problem: string; subject: string; path?: string; due?: string }>;
  controls: Array<{ id: string; state: string; latest?: { id: string; on: string } }>;
  policies: Array<{ id: string; overdue: boolean }>;
  exceptions: Array<{ id: string; type: string; state: string }>;
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("soc2 readiness on this repository", () => {
  // This repository's own program: Type 2 from 2026-07-01, two evidence records.
  const asOf = "2026-11-26";

  it("prints the scores, the controls and the gaps, and exits 1 on gaps", async () => {
    const result = await runCli("readiness", ".", "--as-of", asOf);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "Readiness of Acme Cloud Platform (Acme Cloud, Inc.) as of 2026-11-26",
      "Type 2 audit period 2026-07-01 to 2027-06-30, assessed up to 2026-11-26",
    ]);
    expect(lines).toContain("Category         Criteria  Applicable  Covered  Ready  Score");
    expect(lines).toContainEqual(expect.stringMatching(/^Security {9}33 {8}33 {10}33 /));
    // The Q3 access review is in the period and fresh; the weekly branch-protection snapshot is not.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ACC-04 +ready +quarterly +100 d +2026-10-02 \(55 d, attestation\) +1$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^evidence-stale +CHG-02 +2026-10-11 +its latest settings-snapshot, settings-snapshots\/2026\/2026-10-01-branch-protection-platform-main, is from 2026-10-01, 56 days before 2026-11-26; it may be 10 days old \(weekly\)/,
      ),
    );
    expect(lines.at(-2)).toMatch(/^\d+ gap\(s\): \d+ no-evidence-in-period, 1 evidence-stale$/);
  });

  it("gives the same assessment as JSON and Markdown", async () => {
    const json = await runCli("readiness", ".", "--as-of", asOf, "--format", "json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as Json;
    expect(report).toMatchObject({ ready: false, asOf, basis: { kind: "audit-period" } });
    expect(report.categories.map((c) => c.category)).toEqual([
      "security",
      "availability",
      "confidentiality",
    ]);
    expect(report.gapCount).toBe(report.gaps.length);
    expect(report.gaps.filter((g) => g.problem === "criterion-without-control")).toEqual([]);
    expect(report.policies).toHaveLength(12);
    expect(report.policies.filter((p) => p.overdue)).toEqual([]);
    expect(report.controls.find((c) => c.id === "ACC-04")).toMatchObject({
      state: "ready",
      latest: { id: "attestations/2026/2026-10-02-access-review-q3", on: "2026-10-02" },
    });

    const md = await runCli("readiness", ".", "--as-of", asOf, "-f", "markdown");
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(
      /^# Readiness of Acme Cloud Platform \(Acme Cloud, Inc\.\) as of 2026-11-26\n/,
    );
    expect(md.stdout).toContain(
      "| evidence-stale | CHG-02 | controls/security/chg-02-branch-protection-snapshot.yml | 2026-10-11 |",
    );
  });

  it("shows each control's freshness: last evidence, overdue, and the ended intervals", async () => {
    const text = await runCli("readiness", ".", "--as-of", asOf);
    expect(text.stdout.split("\n")).toContainEqual(
      expect.stringMatching(
        /^CHG-02 +weekly +2026-10-01 \(settings-snapshot\) +2026-10-11 +OVERDUE +□{13}■□{7} 1\/21$/,
      ),
    );
    const json = JSON.parse(
      (await runCli("readiness", ".", "--as-of", asOf, "-f", "json")).stdout,
    ) as { freshness: Array<{ id: string; overdue: boolean; evidenced: number; missing: number }> };
    expect(json.freshness.find((f) => f.id === "ACC-04")).toMatchObject({
      last: { id: "attestations/2026/2026-10-02-access-review-q3", on: "2026-10-02" },
      due: "2027-01-10",
      overdue: false,
      // July–September ended without a review: the Q3 review was performed on 2 October.
      evidenced: 0,
      missing: 1,
    });
  });

  it("finds the policies overdue a year after their last review", async () => {
    const json = await runCli("readiness", ".", "--as-of", "2027-11-27", "--format", "json");
    const report = JSON.parse(json.stdout) as Json;
    expect(report.gaps.filter((g) => g.problem === "policy-review-overdue")).toHaveLength(12);
    expect(report.gaps).toContainEqual(
      expect.objectContaining({
        problem: "policy-review-overdue",
        path: "policies/change-management.md",
        due: "2027-11-26",
      }),
    );
  });
});

describe("soc2 readiness on the evidence the App recorded", () => {
  const demoEvidence = useDemoEvidence("soc2-readiness-demo-");
  let demo: string;
  let today: string;
  beforeAll(() => {
    demo = demoEvidence.dir();
    today = demoEvidence.today();
  });

  it("counts the change-management control ready, and the exceptions awaiting review", async () => {
    const result = await runCli("readiness", demo, "--as-of", today, "--format", "json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Json;
    expect(report.basis.kind).toBe("lookback");
    expect(report.controls.find((c) => c.id === "CHG-01")).toMatchObject({ state: "ready" });
    expect(report.exceptions.map((e) => [e.type, e.state])).toEqual([
      ["bypass", "awaiting-review"],
      ["direct-push", "awaiting-review"],
    ]);
    expect(report.gaps.filter((g) => g.problem === "exception-open")).toEqual([]);
  });

  it("reports both exceptions open once their retrospective review is past due", async () => {
    const later = addDays(today, 3);
    const result = await runCli("readiness", demo, "--as-of", later);
    expect(result.code).toBe(1);
    const open = result.stdout.split("\n").filter((l) => l.startsWith("exception-open"));
    expect(open).toEqual([
      expect.stringMatching(
        /^exception-open +changes\/acme\/web\/\d{4}\/\d{2}\/pr-2 +\d{4}-\d{2}-\d{2} +bypass exception on acme\/web#2 \(merged .+\): its retrospective review was due by .+, but no review file exceptions\/changes\/acme\/web\/\d{4}\/\d{2}\/pr-2\.yml, no approving review submitted after the merge by someone other than the author, and no attestation naming this record is recorded\. Reason: merged by alice/,
      ),
      expect.stringMatching(
        /^exception-open +changes\/acme\/web\/\d{4}\/\d{2}\/push-[0-9a-f]+ +\d{4}-\d{2}-\d{2} +direct-push exception on a push straight to acme\/web/,
      ),
    ]);
  });
});

describe("soc2 readiness usage errors", () => {
  it("exits 2 on a bad --as-of, an unknown format, a missing folder or a folder without soc2.yml", async () => {
    const badDate = await runCli("readiness", ".", "--as-of", "2026-02-30");
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--as-of "2026-02-30" is not a date: use YYYY-MM-DD/);

    const badFormat = await runCli("readiness", ".", "--format", "csv");
    expect(badFormat.code).toBe(2);

    const dir = await tempDir("soc2-readiness-");
    const missing = await runCli("readiness", join(dir, "nowhere"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);

    await writeTree(dir, { "notes.md": "# Not a compliance repository\n" });
    const notRepo = await runCli("readiness", dir);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toMatch(/is not a compliance repository \(no readable soc2\.yml\)/);
  });
});
