import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { firstNonFinite, nonFiniteJsonOffset } from "../../src/core/finite.js";
import { parseYaml } from "../../src/core/yaml-source.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

const SAMPLE = readFileSync(
  fileURLToPath(new URL("../corpus/base/evidence/sample.yml", import.meta.url)),
  "utf8",
);

/** The corpus's sample attestation with `score: <literal>` added to its content (line 21). */
const recordWith = (literal: string) =>
  SAMPLE.replace(/^ {2}result: no-exceptions$/m, `  result: no-exceptions\n  score: ${literal}`);

/** Every audit command, with the options it requires. */
const COMMANDS: Record<string, (dir: string, out: string) => string[]> = {
  validate: (dir) => ["validate", dir],
  verify: (dir) => ["verify", dir],
  readiness: (dir) => ["readiness", dir, "--as-of", "2026-12-01"],
  population: (dir) => ["population", dir, "--from", "2026-01-01", "--to", "2026-12-31"],
  sample: (dir) => [
    "sample",
    dir,
    "--seed",
    "s",
    "--size",
    "1",
    "--from",
    "2026-01-01",
    "--to",
    "2026-12-31",
  ],
  portal: (dir, out) => ["portal", dir, "-o", join(out, "site")],
  report: (dir, out) => [
    "report",
    dir,
    "--type",
    "1",
    "--as-of",
    "2026-12-01",
    "-o",
    join(out, "r.md"),
  ],
  summary: (dir, out) => ["summary", dir, "-o", join(out, "s.md")],
  index: (dir) => ["index", dir, "--check"],
};

describe("non-finite numbers (.inf, .nan, 1e400) in a record", () => {
  for (const literal of [".inf", "-.inf", ".nan", "1e400", "-1E+999"]) {
    it(`validate reports ${literal} at its line and column with a rule id`, async () => {
      const dir = await tempDir();
      await writeTree(dir, { ...minimalRepo(), "evidence/sample.yml": recordWith(literal) });
      const result = await runCliAt(TEST_NOW, "validate", dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `evidence/sample.yml:21:10: error: ${JSON.stringify(literal)} is not a finite number`,
      );
      expect(result.stdout).toMatch(/quote the value to keep it as text \[non-finite-number\]/);
    });
  }

  for (const [name, args] of Object.entries(COMMANDS)) {
    it(`soc2 ${name} does not fail unexpectedly`, async () => {
      const dir = await tempDir();
      const out = await tempDir();
      await writeTree(dir, { ...minimalRepo(), "evidence/sample.yml": recordWith(".inf") });
      const result = await runCliAt(TEST_NOW, ...args(dir, out));
      const all = result.stdout + result.stderr;
      expect(all).not.toMatch(/unexpected failure|is not allowed/);
      expect(result.code).not.toBe(2);
      // Each says where the problem is, or that validation found it.
      expect(all).toMatch(/evidence\/sample\.yml|validat/);
    });
  }

  it("soc2 index names the record, the line and the rule", async () => {
    const dir = await tempDir();
    await writeTree(dir, { ...minimalRepo(), "evidence/sample.yml": recordWith(".inf") });
    const result = await runCliAt(TEST_NOW, "index", dir, "--check");
    expect(result.stderr).toContain(
      'evidence/sample.yml: not indexed: line 21: ".inf" is not a finite number',
    );
    expect(result.stderr).toContain("[non-finite-number]");
  });

  it("soc2 verify names the record and the line", async () => {
    const dir = await tempDir();
    await writeTree(dir, { ...minimalRepo(), "evidence/sample.yml": recordWith("1e400") });
    const result = await runCliAt(TEST_NOW, "verify", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'evidence/sample.yml: record-unreadable: cannot be read as an evidence record (line 21: "1e400" is not a finite number',
    );
  });

  it("soc2 digest refuses to compute a digest and says why", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "evidence/sample.yml": recordWith(".nan") });
    const result = await runCliAt(TEST_NOW, "digest", join(dir, "evidence/sample.yml"));
    expect(result.stdout + result.stderr).toContain("content.score is not a finite number");
    expect(result.stdout + result.stderr).not.toMatch(/unexpected failure/);
    expect(result.code).not.toBe(0);
  });

  it("a non-finite number in soc2.yml or a policy is reported where it is written", async () => {
    const dir = await tempDir();
    const repo = minimalRepo();
    await writeTree(dir, {
      ...repo,
      "soc2.yml": repo["soc2.yml"]!.replace("version: 1", "version: .inf"),
      "policies/infosec.md": repo["policies/infosec.md"]!.replace(
        'version: "1.0"',
        "version: 1e400",
      ),
    });
    const result = await runCliAt(TEST_NOW, "validate", dir);
    expect(result.stdout).toContain('soc2.yml:1:10: error: ".inf" is not a finite number');
    expect(result.stdout).toContain(
      'policies/infosec.md:5:10: error: "1e400" is not a finite number',
    );
    for (const args of Object.values(COMMANDS)) {
      const run = await runCliAt(TEST_NOW, ...args(dir, await tempDir()));
      expect(run.stdout + run.stderr).not.toMatch(/unexpected failure|is not allowed/);
    }
  });
});

describe("soc2 evaluate with a number too large for a double in the facts", () => {
  it("says where it is instead of failing unexpectedly", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      ...minimalRepo(),
      "facts.json": '{\n  "version": 1,\n  "text": "1e400 in a string is fine",\n  "n": 1e400\n}\n',
    });
    const result = await runCliAt(
      TEST_NOW,
      "evaluate",
      join(dir, "facts.json"),
      "--config",
      join(dir, "soc2.yml"),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("facts.json:4:8: 1e400 is too large for a number");
    expect(result.stderr).toContain("[non-finite-number]");
  });
});

describe("the non-finite helpers", () => {
  it("finds the path of the first non-finite value, and nothing in finite data", () => {
    expect(firstNonFinite({ a: [1, 2, { b: -Infinity }], c: NaN })).toEqual(["a", 2, "b"]);
    expect(firstNonFinite({ a: [1.5, "Infinity", { b: 1e308 }] })).toBeUndefined();
  });

  it("finds a JSON number that overflows, skipping strings and escaped quotes", () => {
    const text = '{"a": "1e400 \\" 2e999", "b": [1e308, -1e309]}';
    expect(nonFiniteJsonOffset(text)).toBe(text.indexOf("-1e309"));
    expect(nonFiniteJsonOffset('{"a": 123456789012345678901234567890}')).toBeUndefined();
  });

  it("reads well-formed files on the fast path and still finds the position", () => {
    const parsed = parseYaml("x.yml", "a: 1\nb:\n  - c: .inf\n");
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics).toMatchObject([
      { rule: "non-finite-number", line: 3, column: 8, severity: "error" },
    ]);
    // A quoted ".inf" is text.
    expect(parseYaml("x.yml", 'a: ".inf"\n').value).toEqual({ a: ".inf" });
  });
});
