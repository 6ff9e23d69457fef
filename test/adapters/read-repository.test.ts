import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRepository } from "../../src/adapters/read-repository.js";
import { LIMITS } from "../../src/core/limits.js";
import { validateRepository } from "../../src/core/validate.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import { TEST_NOW } from "../helpers/clock.js";

describe("readRepository", () => {
  it("reads every file the validator understands, and nothing else", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      ...minimalRepo(),
      "evidence/a/b.yml": "x: 1\n",
      "evidence/a/scan.pdf": "%PDF",
      "controls/README.md": "# notes",
      "policies/README.md": "# index",
      "src/app.ts": "",
    });
    expect((await readRepository(dir)).map((f) => f.path)).toEqual([
      "controls/all.yml",
      "evidence/a/b.yml",
      "policies/infosec.md",
      "soc2.yml",
    ]);
  });

  it("reads only the evidence records it is given, so a pull request's check never reads the others", async () => {
    const dir = await tempDir();
    const others = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`evidence/old/${i}.yml`, "not: [valid"]),
    );
    await writeTree(dir, { ...minimalRepo(), ...others, "evidence/new/added.yml": "x: 1\n" });
    const files = await readRepository(dir, {
      evidence: ["evidence/new/added.yml", "evidence/new/missing.yml", "src/elsewhere.yml"],
    });
    expect(files.map((f) => f.path)).toEqual([
      "controls/all.yml",
      "evidence/new/added.yml",
      "policies/infosec.md",
      "soc2.yml",
    ]);
  });

  it("reads the exception review files, also when it reads only some evidence records", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      ...minimalRepo(),
      "evidence/old/1.yml": "x: 1\n",
      "exceptions/changes/acme/web/pr-1.yml": "record: x\n",
      "exceptions/README.md": "# How to review an exception",
    });
    expect((await readRepository(dir)).map((f) => f.path)).toEqual([
      "controls/all.yml",
      "evidence/old/1.yml",
      "exceptions/changes/acme/web/pr-1.yml",
      "policies/infosec.md",
      "soc2.yml",
    ]);
    expect((await readRepository(dir, { evidence: [] })).map((f) => f.path)).toEqual([
      "controls/all.yml",
      "exceptions/changes/acme/web/pr-1.yml",
      "policies/infosec.md",
      "soc2.yml",
    ]);
  });

  it("never follows a symbolic link: it is reported, and what it points at is not read", async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await writeTree(outside, { "secrets.yml": "kind: s3cr3t-value\n" });
    await writeTree(dir, minimalRepo());
    await mkdir(join(dir, "evidence"), { recursive: true });
    await symlink(join(outside, "secrets.yml"), join(dir, "evidence/x.yml"));
    const files = await readRepository(dir, { evidence: ["evidence/x.yml"] });
    const link = files.find((f) => f.path === "evidence/x.yml")!;
    expect(link.bytes).toBeUndefined();
    const { diagnostics } = validateRepository(files, { now: TEST_NOW });
    expect(diagnostics.map((d) => [d.path, d.rule])).toEqual([["evidence/x.yml", "file-type"]]);
    expect(JSON.stringify(diagnostics)).not.toContain("s3cr3t");
  });

  it("lists a file over its size limit without reading it", async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      ...minimalRepo(),
      "controls/huge.yml": "#".repeat(LIMITS.maxProgramFileBytes + 1),
    });
    const huge = (await readRepository(dir)).find((f) => f.path === "controls/huge.yml")!;
    expect(huge.size).toBe(LIMITS.maxProgramFileBytes + 1);
    expect(huge.bytes).toBeUndefined();
  });
});
