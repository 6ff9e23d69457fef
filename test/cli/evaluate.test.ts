import { execFileSync } from "node:child_process";
import { copyFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/capture.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

const fixtures = new URL("../core/change-management/fixtures/", import.meta.url).pathname;
const fixture = (name: string) => join(fixtures, name);
const config = ["--config", fixture("repo/soc2.yml")];

describe("soc2 evaluate", () => {
  it.each([
    ["approved.json", 0, "PASS", /required-approvals\s+pass\s+1 of 1 required approval\(s\): bob/],
    [
      "self-approved.json",
      1,
      "FAIL",
      /separation-of-duties\s+fail\s+alice opened the pull request/,
    ],
    [
      "stale-approval.json",
      1,
      "FAIL",
      /approval-on-head\s+fail\s+bob approved e0996a3, but commits were pushed after it/,
    ],
    [
      "checks-pending.json",
      3,
      "PENDING",
      /required-checks\s+pending\s+on the head 1a95462: validate is in progress/,
    ],
    [
      "emergency.json",
      0,
      "PASS",
      /Exception \(emergency\): .*Retrospective review due by 2026-05-03T12:00:00.000Z/,
    ],
    [
      "control-owner-approved.json",
      0,
      "PASS",
      /controls\/security\/chg-01.yml: approved by praman/,
    ],
    [
      "control-security-lead-only.json",
      1,
      "FAIL",
      /needs an approval from owner engineering-lead \(praman\)/,
    ],
  ])("%s: exit %i, %s", async (name, code, result, line) => {
    const run = await runCli("evaluate", fixture(name), ...config);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`Change management: ${result}`);
    expect(run.stdout).toMatch(line);
    expect(run.code).toBe(code);
  });

  it("prints the verdict as JSON, evaluated at the facts' collected_at", async () => {
    const run = await runCli(
      "evaluate",
      fixture("self-approved.json"),
      ...config,
      "--format",
      "json",
    );
    expect(run.code).toBe(1);
    const verdict = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(verdict).toMatchObject({ result: "fail", evaluated_at: "2026-05-01T12:00:00.000Z" });
    expect(verdict.rules).toContainEqual(
      expect.objectContaining({ rule: "separation-of-duties", result: "fail" }),
    );
  });

  it("gives the same verdict, byte for byte, every time it is re-run from the evidence", async () => {
    const args = ["evaluate", fixture("approved.json"), ...config, "--format", "json"];
    const first = await runCli(...args);
    const second = await runCli(...args);
    expect(second.stdout).toBe(first.stdout);
  });

  it("reads soc2.yml from the current folder by default", async () => {
    const dir = await tempDir();
    await copyFile(fixture("repo/soc2.yml"), join(dir, "soc2.yml"));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const run = await runCli("evaluate", fixture("approved.json"));
      expect(run.code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });

  describe("usage errors (exit 2)", () => {
    it("a facts file over the evidence limit says too large, without reading it", async () => {
      const dir = await tempDir();
      const huge = join(dir, "huge.json");
      // Sparse: 600 MB on paper, nothing on disk.
      await writeFile(huge, "");
      await truncate(huge, 600 * 1024 * 1024);
      const run = await runCli("evaluate", huge, ...config);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^soc2: .*huge\.json is too large \(600 MB; the limit is 8 MB\): .*right file\n$/,
      );
      // Just over the limit is too large as well, with the size to one decimal.
      await truncate(huge, 8 * 1024 * 1024 + 100 * 1024);
      expect((await runCli("evaluate", huge, ...config)).stderr).toContain(
        "is too large (8.1 MB; the limit is 8 MB)",
      );
    });

    it("a facts path that is a FIFO is refused without opening it", async () => {
      const dir = await tempDir();
      const fifo = join(dir, "facts.json");
      execFileSync("mkfifo", [fifo]);
      const run = await runCli("evaluate", fifo, ...config);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/facts\.json is not a regular file/);
    });

    it("a facts file that does not exist", async () => {
      const run = await runCli("evaluate", fixture("missing.json"), ...config);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^soc2: cannot read .*missing.json: pass the path of a pull-request facts file\n$/,
      );
    });

    it("a facts file that is not JSON, with the line and column", async () => {
      const dir = await tempDir();
      const path = join(dir, "facts.json");
      await writeFile(path, '{\n  "version": 1,\n  "event": "pull_request"\n  "number": 42\n}\n');
      const run = await runCli("evaluate", path, ...config);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/facts.json:4:3: not valid JSON: /);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });

    it("facts that do not match the schema, each problem with its JSON path", async () => {
      const run = await runCli("evaluate", fixture("invalid.json"), ...config);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("invalid.json: reviews[0].state: must be one of");
      expect(run.stderr).toContain("invalid.json: head.sha: must be a full commit SHA");
      expect(run.stderr).toContain('invalid.json: (root): unknown property "merged_by"');
      expect(run.stderr).toMatch(/soc2: .*invalid.json is not a valid pull-request facts snapshot/);
    });

    it("a soc2.yml that cannot be read", async () => {
      const run = await runCli(
        "evaluate",
        fixture("approved.json"),
        "--config",
        fixture("nope.yml"),
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /cannot read .*nope.yml: pass the compliance repository's soc2.yml with --config/,
      );
    });

    it("a soc2.yml with errors, each with its position", async () => {
      const dir = await tempDir();
      await writeTree(dir, {
        "soc2.yml": "version: 1\nchange_management:\n  required_aprovals: 2\n",
      });
      const run = await runCli(
        "evaluate",
        fixture("approved.json"),
        "--config",
        join(dir, "soc2.yml"),
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /soc2.yml:3:3: error: unknown property "required_aprovals".*did you mean "required_approvals"/,
      );
      expect(run.stderr).toMatch(/is not valid, so its policy cannot be applied/);
    });

    it("an unknown format", async () => {
      const run = await runCli("evaluate", fixture("approved.json"), ...config, "--format", "xml");
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/unknown --format "xml"/);
    });

    it("no facts file at all", async () => {
      const run = await runCli("evaluate");
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/missing required argument 'facts'/);
    });
  });
});
