import { describe, expect, it } from "vitest";
import {
  diagnosticMessage,
  escapeControl,
  formatDiagnostic,
  type Diagnostic,
} from "../../src/core/diagnostics.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

const ESC = "\u001b";
/** Anything that could end a line, move the cursor or recolour a terminal. */
// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const RAW_CONTROL = /[\r\u001b\u2028\u2029\u202e]/;

/** A line that would pass for a diagnostic of its own if a newline let it start a line. */
const FORGED = "soc2.yml:1:1: error: forged [x]";

describe("escaping in diagnostics", () => {
  it("writes line breaks, carriage returns, ANSI escapes and bidi overrides as visible escapes", () => {
    expect(escapeControl(`a\nb\rc\td${ESC}[31me\u007f\u0085\u2028\u202ef`)).toBe(
      "a\\nb\\rc\\td\\u001b[31me\\u007f\\u0085\\u2028\\u202ef",
    );
    // Ordinary text, including non-ASCII letters and emoji, is left alone.
    expect(escapeControl("Sécurité — 安全 ✓ 🙂")).toBe("Sécurité — 安全 ✓ 🙂");
  });

  it("keeps a diagnostic on one line whatever its path and message hold", () => {
    const d: Diagnostic = {
      path: `controls/a\n${FORGED}.yml`,
      line: 3,
      column: 4,
      severity: "warning",
      message: `owner "x\r\n${FORGED} ${ESC}[2J"`,
      rule: "unknown-owner",
    };
    const text = formatDiagnostic(d);
    expect(text.split("\n")).toHaveLength(1);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toBe(
      `controls/a\\n${FORGED}.yml:3:4: warning: owner "x\\r\\n${FORGED} \\u001b[2J" [unknown-owner]`,
    );
    // The Action's annotation text is escaped the same way.
    expect(diagnosticMessage(d)).toBe(`owner "x\\r\\n${FORGED} \\u001b[2J" [unknown-owner]`);
  });
});

describe("soc2 validate with hostile values and file names", () => {
  it("prints one line per diagnostic and no raw control character", async () => {
    const dir = await tempDir();
    const repo = minimalRepo();
    const control = repo["controls/all.yml"]!;
    await writeTree(dir, {
      ...repo,
      // A value with a line break, a carriage return and an ANSI escape (YAML escapes in quotes).
      "controls/all.yml": control.replace(
        "owner: security-lead",
        `owner: "lead\\n${FORGED}\\r\\e[31m"`,
      ),
      // A file name with a line break and an ANSI escape, and a syntax error to report.
      [`controls/evil\n${FORGED}${ESC}[1m.yml`]: "title: [unclosed\n",
    });
    const result = await runCliAt(TEST_NOW, "validate", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const lines = result.stdout.trimEnd().split("\n");
    // Every line is a diagnostic of a real file: the forged text never starts a line.
    for (const line of lines) expect(line).toMatch(/^(controls\/|soc2\.yml|policies\/)/);
    expect(lines.filter((l) => l.startsWith(FORGED))).toEqual([]);
    expect(lines).toContainEqual(
      expect.stringContaining(`controls/evil\\n${FORGED}\\u001b[1m.yml:1:8: error:`),
    );
    expect(lines).toContainEqual(
      expect.stringContaining(`owner "lead\\n${FORGED}\\r\\u001b[31m" is not declared`),
    );
  });

  it("leaves the JSON output exact (JSON escapes it already)", async () => {
    const dir = await tempDir();
    const repo = minimalRepo();
    await writeTree(dir, {
      ...repo,
      "controls/all.yml": repo["controls/all.yml"]!.replace(
        "owner: security-lead",
        'owner: "a\\nb"',
      ),
    });
    const result = await runCliAt(TEST_NOW, "validate", dir, "--format", "json");
    const parsed = JSON.parse(result.stdout) as { diagnostics: Diagnostic[] };
    expect(parsed.diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringContaining('owner "a\nb"'),
    );
  });
});

describe("soc2 verify and soc2 index with a hostile record file name", () => {
  it("escapes the file name in their findings", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      ...minimalRepo(),
      [`evidence/x\n${FORGED}${ESC}[0m.yml`]: "content: [unclosed\n",
    });
    for (const args of [
      ["verify", dir],
      ["index", dir, "--check"],
    ]) {
      const result = await runCliAt(TEST_NOW, ...args);
      const all = result.stdout + result.stderr;
      expect(all, args[0]).not.toMatch(RAW_CONTROL);
      expect(all, args[0]).toContain(`evidence/x\\n${FORGED}\\u001b[0m.yml`);
      expect(
        all.split("\n").filter((l) => l.startsWith(FORGED)),
        args[0],
      ).toEqual([]);
    }
  });
});
