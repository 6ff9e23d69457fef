import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/capture.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

const LINE =
  /^(?<path>[^:]+):(?<line>\d+):(?<column>\d+): (?<severity>error|warning): (?<message>.+) \[(?<rule>[a-z0-9-]+)\]$/;

function parseLines(stdout: string) {
  return stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const m = LINE.exec(l);
      expect(m, `not a diagnostic line: ${l}`).not.toBeNull();
      return { ...m!.groups!, line: Number(m!.groups!.line), column: Number(m!.groups!.column) };
    });
}

describe("soc2 validate", () => {
  it("exits 0 on a valid repository and prints a summary", async () => {
    const dir = await tempDir();
    await writeTree(dir, minimalRepo());
    const result = await runCli("validate", dir);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/3 file\(s\) checked: 0 error\(s\), 0 warning\(s\)/);
    expect(result.code).toBe(0);
  });

  it("reports CC9.9, a YAML syntax error and an alias bomb in one run, each with its position and rule", async () => {
    const dir = await tempDir();
    const repo = minimalRepo();
    await writeTree(dir, {
      ...repo,
      "controls/all.yml": repo["controls/all.yml"]!.replace("criteria: [", "criteria: [CC9.9, "),
      "controls/broken.yml": "id: BRK-01\ntitle: [unclosed\nowner: security-lead\n",
      "controls/bomb.yml": [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
        "",
      ].join("\n"),
    });
    const result = await runCli("validate", dir);
    expect(result.code).toBe(1);
    const lines = parseLines(result.stdout);
    expect(lines).toContainEqual(
      expect.objectContaining({
        path: "controls/all.yml",
        line: 4,
        column: 12,
        rule: "unknown-criterion",
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        path: "controls/broken.yml",
        line: 2,
        column: 8,
        rule: "yaml-syntax",
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        path: "controls/bomb.yml",
        line: 2,
        column: 8,
        rule: "yaml-alias-limit",
      }),
    );
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints JSON with --format json", async () => {
    const dir = await tempDir();
    await writeTree(dir, { ...minimalRepo(), "controls/extra.yml": "id: X-01\n" });
    const result = await runCli("validate", dir, "--format", "json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      valid: boolean;
      errors: number;
      diagnostics: Array<{ rule: string; path: string }>;
    };
    expect(report.valid).toBe(false);
    expect(
      report.diagnostics.filter((d) => d.path === "controls/extra.yml").map((d) => d.rule),
    ).toContain("schema-required");
  });

  it("exits 2 with a one-line reason on usage errors", async () => {
    const missing = await runCli("validate", "/nonexistent/soc2-folder");
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/does not exist/);

    const badFormat = await runCli("validate", ".", "--format", "xml");
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/unknown --format "xml"/);

    for (const threads of ["0", "65", "two", "1.5", "-1"]) {
      const badThreads = await runCli("validate", ".", "--threads", threads);
      expect([threads, badThreads.code]).toEqual([threads, 2]);
      expect(badThreads.stderr).toMatch(/--threads ".*" is not a number of threads/);
    }

    const unknownCommand = await runCli("frobnicate");
    expect(unknownCommand.code).toBe(2);
  });

  it("reports a repository without soc2.yml", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "controls/x.yml": "id: X-01\n" });
    const result = await runCli("validate", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^soc2\.yml:1:1: error: no soc2\.yml/m);
  });
});

describe("soc2 --help", () => {
  it.each(["validate", "coverage", "criteria", "init", "digest", "demo"])(
    "documents %s",
    async (command) => {
      const result = await runCli(command, "--help");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`Usage: soc2 ${command}`));
    },
  );
});
