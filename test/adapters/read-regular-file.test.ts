import type * as FsPromises from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { readRegularFile as ReadRegularFile } from "../../src/adapters/read-regular-file.js";
import type { readRepository as ReadRepository } from "../../src/adapters/read-repository.js";
import { loadSourceFile } from "../../src/core/source-file.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

// Tests may run as root, where chmod 000 does not stop a read: opening a file whose name contains
// "locked" fails with EACCES here, as it does for anyone else after chmod 000.
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  return {
    ...actual,
    open: (async (path: string, ...rest: unknown[]) => {
      if (String(path).includes("locked"))
        throw Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), {
          code: "EACCES",
        });
      return (actual.open as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof actual.open,
  };
});

// The suite runs test files in shared workers: modules another file loaded are cached with the
// real node:fs/promises. The adapters are loaded afresh, after the mock, for this file.
let readRegularFile: typeof ReadRegularFile;
let readRepository: typeof ReadRepository;
beforeAll(async () => {
  vi.resetModules();
  ({ readRegularFile } = await import("../../src/adapters/read-regular-file.js"));
  ({ readRepository } = await import("../../src/adapters/read-repository.js"));
});

describe("readRegularFile", () => {
  it("says permission denied for a file it may not open", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "locked.yml": "a: 1\n" });
    expect(await readRegularFile(join(dir, "locked.yml"), 1000)).toEqual({
      kind: "unreadable",
      reason: "permission denied",
    });
  });

  it("reads a regular file within the limit, and only sizes one over it", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "a.yml": "a: 1\n" });
    const read = await readRegularFile(join(dir, "a.yml"), 1000);
    expect(read.kind).toBe("read");
    expect(await readRegularFile(join(dir, "a.yml"), 2)).toEqual({ kind: "too-large", size: 5 });
  });
});

describe("an unreadable file in a repository", () => {
  it("becomes a file-unreadable diagnostic instead of aborting the run", async () => {
    const dir = await tempDir();
    await writeTree(dir, { ...minimalRepo(), "controls/locked.yml": "id: X\n" });
    const files = await readRepository(dir);
    const locked = files.find((f) => f.path === "controls/locked.yml")!;
    expect(locked).toMatchObject({ unreadable: "permission denied" });
    expect(loadSourceFile(locked, "control").diagnostics).toEqual([
      {
        path: "controls/locked.yml",
        line: 1,
        column: 1,
        severity: "error",
        rule: "file-unreadable",
        message:
          "controls/locked.yml could not be read (permission denied): make it readable by whoever runs soc2 (e.g. chmod a+r), or remove it",
      },
    ]);
  });
});

describe("an unreadable evidence record under soc2 verify", () => {
  it("is a record-unreadable finding that names the reason", async () => {
    const { readEvidenceChain } = await import("../../src/adapters/evidence/read-chain.js");
    const dir = await tempDir();
    await writeTree(dir, { "evidence/locked.yml": "version: 1\n" });
    const input = await readEvidenceChain(dir, { history: false });
    expect(input.records).toEqual([
      expect.objectContaining({
        path: "evidence/locked.yml",
        unreadable: expect.stringContaining("could not be read (permission denied)"),
      }),
    ]);
  });
});
