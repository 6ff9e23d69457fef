import { execFileSync } from "node:child_process";
import { chmod, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

const mkfifo = (path: string) => execFileSync("mkfifo", [path]);
const isRoot = process.getuid?.() === 0;

/** Every command that reads the repository, with the options it requires. */
const COMMANDS: Record<string, (dir: string, out: string) => string[]> = {
  validate: (dir) => ["validate", dir],
  verify: (dir) => ["verify", dir],
  readiness: (dir) => ["readiness", dir, "--as-of", "2026-12-01"],
  population: (dir) => ["population", dir, "--from", "2026-01-01", "--to", "2026-12-31"],
  sample: (dir) => ["sample", dir, "--seed", "s", "--size", "1"],
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

/** A repository with a FIFO and a symbolic link where each kind of file is read. */
async function hostileRepo(): Promise<string> {
  const dir = await tempDir();
  await writeTree(dir, { ...minimalRepo(), "evidence/README.md": "Evidence.\n" });
  mkfifo(join(dir, "evidence/pipe.yml"));
  mkfifo(join(dir, "controls/pipe.yml"));
  mkfifo(join(dir, "evidence/chain-head.json"));
  await symlink("/etc/passwd", join(dir, "evidence/link.yml"));
  await symlink("/etc/hostname", join(dir, "policies/link.md"));
  await symlink("../nowhere.yml", join(dir, "controls/dangling.yml"));
  return dir;
}

describe("symbolic links and FIFOs", () => {
  it("soc2 validate reports each one (file-type) and never opens a FIFO", async () => {
    const dir = await hostileRepo();
    const result = await runCliAt(TEST_NOW, "validate", dir);
    expect(result.code).toBe(1);
    for (const [path, what] of [
      ["evidence/pipe.yml", "a FIFO (named pipe)"],
      ["controls/pipe.yml", "a FIFO (named pipe)"],
      ["evidence/link.yml", "a symbolic link"],
      ["policies/link.md", "a symbolic link"],
      ["controls/dangling.yml", "a symbolic link"],
    ])
      expect(result.stdout).toContain(
        `${path}:1:1: error: ${path} is ${what}: compliance files must be regular files, so it was not read; replace it with the file itself [file-type]`,
      );
    // The link's target never shows up.
    expect(result.stdout).not.toContain("root:");
  }, 20_000);

  it("a symbolic link in place of soc2.yml is reported, not followed", async () => {
    const dir = await tempDir();
    const repo = minimalRepo();
    await writeTree(dir, { ...repo, "real.yml": repo["soc2.yml"]!, "soc2.yml": "" });
    execFileSync("rm", [join(dir, "soc2.yml")]);
    await symlink("real.yml", join(dir, "soc2.yml"));
    const result = await runCliAt(TEST_NOW, "validate", dir);
    expect(result.stdout).toContain("soc2.yml:1:1: error: soc2.yml is a symbolic link");
  });

  it("soc2 verify reports the records and does not hang on a FIFO record or chain head", async () => {
    const dir = await hostileRepo();
    const result = await runCliAt(TEST_NOW, "verify", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^evidence\/pipe\.yml: record-unreadable: .*is a FIFO \(named pipe\).*\[file-type\]/m,
    );
    expect(result.stdout).toMatch(
      /^evidence\/link\.yml: record-unreadable: .*is a symbolic link.*\[file-type\]/m,
    );
  }, 20_000);

  for (const [name, args] of Object.entries(COMMANDS)) {
    it(`soc2 ${name} finishes and does not fail unexpectedly`, async () => {
      const dir = await hostileRepo();
      const result = await runCliAt(TEST_NOW, ...args(dir, await tempDir()));
      expect(result.stdout + result.stderr).not.toMatch(/unexpected failure/);
      expect(result.code).not.toBe(2);
    }, 20_000);
  }

  it("soc2 digest refuses a FIFO instead of waiting on it", async () => {
    const dir = await tempDir();
    mkfifo(join(dir, "r.yml"));
    const result = await runCliAt(TEST_NOW, "digest", join(dir, "r.yml"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is a FIFO (named pipe), not a regular file");
  }, 20_000);
});

describe("a file that cannot be read", () => {
  // root reads a file whatever its mode: the EACCES itself is simulated in
  // test/adapters/read-regular-file.test.ts.
  it.skipIf(isRoot)("is a file-unreadable diagnostic, not an aborted run", async () => {
    const dir = await tempDir();
    await writeTree(dir, { ...minimalRepo(), "controls/locked.yml": "id: X\n" });
    await chmod(join(dir, "controls/locked.yml"), 0o000);
    try {
      const result = await runCliAt(TEST_NOW, "validate", dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        "controls/locked.yml:1:1: error: controls/locked.yml could not be read (permission denied)",
      );
    } finally {
      await chmod(join(dir, "controls/locked.yml"), 0o644);
    }
  });
});
