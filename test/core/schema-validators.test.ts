import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { checkFacts } from "../../src/core/change-management/index.js";
import { parseYaml } from "../../src/core/yaml-source.js";
import { validateAgainstSchema } from "../../src/core/schemas.js";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;

describe("precompiled schema validators (src/core/generated/schema-validators.ts)", () => {
  it("are current with schemas/", async () => {
    // --check regenerates the module in memory and compares it with the committed one.
    const { stderr } = await run(process.execPath, ["scripts/generate-validators.mjs", "--check"], {
      cwd: root,
    }).catch((error: { stderr: string }) => ({ stderr: error.stderr }));
    expect(stderr).toBe("");
  });

  it("report errors with the schema details the messages need (verbose output)", () => {
    const parsed = parseYaml("soc2.yml", "version: 1\norganisation:\n  name: Acme\n");
    const problems = validateAgainstSchema("soc2.yml", "program", parsed);
    expect(problems.map((p) => [p.line, p.message])).toContainEqual([
      2,
      'unknown property "organisation" in the document: did you mean "organization"?',
    ]);
  });

  it("check formats (ajv-formats) through the createRequire banner", () => {
    const checked = checkFacts({ collected_at: "not a time" });
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.problems).toContainEqual({
        path: "collected_at",
        message: "must be a timestamp with a time zone, such as 2026-05-01T14:03:00Z",
      });
  });
});
