import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { describe, expect, it } from "vitest";
import { runDemo } from "../../src/dev/demo/run-demo.js";
import { runCli } from "../helpers/capture.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("npm run demo", () => {
  it("records the story through the App's real server into a git repository that validates", async () => {
    const dir = join(await tempDir("soc2-demo-test-"), "evidence-repo");
    let printed = "";
    const result = await runDemo({
      dir,
      out: (t) => void (printed += t),
      now: steppingClock(TEST_NOW.toISOString()),
      monitoring: true,
      portal: true,
    });

    expect(result.changes).toBe(3);
    expect(result.exceptions).toBe(2);
    expect(printed).toMatch(/a loopback stand-in http:\/\/127\.0\.0\.1:\d+ {2}\(not GitHub/);

    // The repository validates, and its hash chain is intact.
    const validation = await runCli("validate", dir);
    expect(validation.stdout).toBe("");
    expect(validation.code).toBe(0);

    // One record per delivery, none for the redelivery: two reviews, three pull-request events.
    const files = await filesUnder(join(dir, "evidence"));
    const reviews = files.filter((f) => f.includes("/reviews/"));
    expect(reviews).toHaveLength(2);
    expect(files.filter((f) => f.includes("/pull-requests/"))).toHaveLength(3);

    // The change record of #1 passes; #2, merged by its author unreviewed, is an exception.
    const changes = files.filter((f) => f.includes("/changes/")).sort();
    const pr1 = await readFile(
      changes.find((f) => f.endsWith("/pr-1.yml"))!,
      "utf8",
    );
    const pr2 = await readFile(
      changes.find((f) => f.endsWith("/pr-2.yml"))!,
      "utf8",
    );
    expect(pr1).toMatch(/ {2}verdict:\n {4}result: pass/);
    expect(pr1).not.toMatch(/^ {2}exception:/m);
    expect(pr2).toMatch(/ {2}verdict:\n {4}result: fail/);
    expect(pr2).toMatch(/^ {2}exception:\n {4}type: bypass/m);

    // The monitoring loop: a snapshot, the drift, its issue opened, the fix, the issue closed.
    expect(printed).toContain(
      "✓ the App snapshots acme's and acme/web's settings: 2 snapshot(s); every control holds (ACC-01, ACC-05, CHG-02, VULN-01)",
    );
    expect(printed).toContain(
      "✗ carol allows force pushes on main; the next snapshot: 2 snapshot(s), 1 unchanged; CHG-02 drifts → drift issue acme/compliance#1 of CHG-02 opened",
    );
    expect(printed).toContain("→ drift issue acme/compliance#1 of CHG-02 closed");
    expect(files.filter((f) => f.includes("/settings-snapshots/"))).toHaveLength(6);
    expect(files.filter((f) => f.includes("/drift/")).map((f) => f.split("/").at(-1))).toEqual(
      expect.arrayContaining(["issue-1-opened.yml", "issue-1-closed.yml"]),
    );
    // soc2 drift re-derives the final verdict from the stored snapshots alone.
    const drift = await runCli("drift", dir);
    expect(drift.stdout).toContain("CHG-02: pass");
    expect(drift.code).toBe(0);

    // The portal the demo built shows the snapshots and the drift events under CHG-02.
    expect(result.site).toBe(`${dir}-site`);
    const chg02 = await readFile(join(result.site!, "controls/CHG-02.html"), "utf8");
    expect(chg02).toContain("settings-snapshot");
    const pages = await Promise.all(
      (await filesUnder(result.site!))
        .filter((f) => f.endsWith(".html"))
        .map((f) => readFile(f, "utf8")),
    );
    expect(pages.some((p) => p.includes("CHG-02 drift issue #1 opened"))).toBe(true);
    expect(pages.some((p) => p.includes("CHG-02 drift issue #1 closed"))).toBe(true);

    // Each record landed as its own commit on top of the scaffold; then the request list did.
    const log = await simpleGit(dir).log();
    expect(log.total).toBe(1 + 8 + 6 + 2 + 1);
    expect(log.all.at(-1)!.message).toMatch(/soc2 init/);
    expect(log.latest!.message).toMatch(/request list/);

    // The auditor's request list: imported, three items answered, one overdue.
    expect(printed).toContain("✓ 6 request(s) → audit/2041/requests/: 6 new, 0 updated");
    expect(printed).toMatch(
      /^ {2}audit\/2041\/requests, as of 2041-02-\d\d: 6 request\(s\): 3 answered, 3 open \(1 overdue\)$/m,
    );
    expect(printed).toMatch(/^ {2}OVERDUE {2}PBC-03 /m);
    const status = await runCli(
      "requests",
      "status",
      dir,
      "--as-of",
      "2041-01-01",
      "--format",
      "json",
    );
    expect(status.code).toBe(0);
    // As of a day before the demo answered anything, every item was still open, none overdue.
    expect(JSON.parse(status.stdout)).toMatchObject({
      period: "2041",
      counts: { total: 6, answered: 0, open: 6, overdue: 0, stale: 0 },
    });
  });

  it("refuses a folder that is not empty, and leaves it untouched", async () => {
    const dir = await tempDir("soc2-demo-test-");
    await writeTree(dir, { "notes.txt": "mine" });
    const result = await runCli("demo", "--dir", dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not empty/);
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });
});
