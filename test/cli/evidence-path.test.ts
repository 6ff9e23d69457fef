import { describe, expect, it } from "vitest";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

/** minimalRepo with `evidence: { path: <value> }` appended to soc2.yml (line 8). */
function repoWithEvidencePath(value: string): Record<string, string> {
  const repo = minimalRepo();
  return { ...repo, "soc2.yml": `${repo["soc2.yml"]!}evidence:\n  path: ${value}\n` };
}

describe("evidence.path in soc2.yml", () => {
  it.each([
    ["an absolute path", "/etc"],
    ["the repository root", '"."'],
    ["an empty path", '""'],
    ["a path out of the repository", "../x"],
    ["a path that climbs out halfway", "evidence/../../x"],
    ["a path that is not normalized", "./evidence/"],
    ["a Windows path", '"evidence\\\\2026"'],
    ["a hidden folder", ".evidence"],
  ])("rejects %s with its position and how to fix it", async (_what, value) => {
    const dir = await tempDir();
    await writeTree(dir, repoWithEvidencePath(value));
    const result = await runCliAt(TEST_NOW, "validate", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^soc2\.yml:9:9: error: evidence\.path .* is not valid: expected a folder inside the repository for evidence records, written as a relative path with forward slashes, such as evidence or compliance\/evidence: not absolute, not \. or empty, no \.\. or hidden \(\.name\) folders, no trailing slash\. \[schema-pattern\]$/m,
    );
  });

  it("rejects a folder that does not exist, where records would go unvalidated", async () => {
    const dir = await tempDir();
    await writeTree(dir, repoWithEvidencePath("nope"));
    const result = await runCliAt(TEST_NOW, "validate", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "soc2.yml:9:9: error: evidence.path names nope/, which does not exist, so no evidence record is validated: set evidence.path to the folder that holds your records, or create the folder [evidence-path]",
    );
  });

  it("accepts a relative folder that exists, and reads the records there", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      ...repoWithEvidencePath("compliance/records"),
      "compliance/records/bad.yml": "version: 1\nkind: nonsense\n",
    });
    const result = await runCliAt(TEST_NOW, "validate", dir);
    expect(result.stdout).not.toMatch(/evidence-path|schema-pattern/);
    // The record in the named folder is read (and is invalid).
    expect(result.stdout).toMatch(/^compliance\/records\/bad\.yml:\d+:\d+: error: /m);
  });

  it("does not complain about a missing evidence/ when evidence.path is not set", async () => {
    const dir = await tempDir();
    await writeTree(dir, minimalRepo());
    const result = await runCliAt(TEST_NOW, "validate", dir);
    expect(result.stdout).not.toMatch(/evidence-path/);
    expect(result.code).toBe(0);
  });
});
