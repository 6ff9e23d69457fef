import { existsSync } from "node:fs";
import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { glob } from "tinyglobby";
import { classifyPath, PROGRAM_FILE, repositoryGlobs } from "../core/layout.js";
import { LIMITS } from "../core/limits.js";
import { evidencePathOf } from "../core/model.js";
import type { SourceFile } from "../core/source-file.js";
import { parse } from "yaml";

/** Files read at once; enough to keep the disk busy without running out of file descriptors. */
const CONCURRENCY = 64;

export interface ReadOptions {
  /**
   * Read only these evidence records (paths from the repository root) instead of every one: a
   * pull request's check validates the records it adds, not the whole history.
   */
  evidence?: readonly string[];
  /**
   * The evidence folder to read instead of the one the checkout's soc2.yml names: the Action
   * passes the base commit's, which the pull request cannot change.
   */
  evidencePath?: string;
}

/**
 * Reads the files of a compliance repository that the validator understands. Files over their
 * size limit are listed but not read, so that a huge file costs nothing but a stat.
 */
export async function readRepository(
  dir: string,
  options: ReadOptions = {},
): Promise<SourceFile[]> {
  const evidencePath = options.evidencePath ?? (await evidencePathFromProgram(dir));
  const globs = repositoryGlobs(evidencePath);
  const found = await glob(
    options.evidence ? globs.filter((g) => !g.startsWith(`${evidencePath}/`)) : globs,
    {
      cwd: dir,
      onlyFiles: true,
      dot: false,
      followSymbolicLinks: false,
      expandDirectories: false,
    },
  );
  const chosen = (options.evidence ?? []).filter(
    (p) => classifyPath(p, evidencePath) === "evidence" && existsSync(join(dir, p)),
  );
  const paths = [...new Set([...found, ...chosen])]
    .filter((p) => classifyPath(p, evidencePath) !== undefined)
    .sort();
  const files: SourceFile[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      const path = paths[index]!;
      files[index] = await readSource(dir, path, limitFor(path, evidencePath));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, paths.length) }, worker));
  return files;
}

function limitFor(path: string, evidencePath: string): number {
  return classifyPath(path, evidencePath) === "evidence"
    ? LIMITS.maxEvidenceFileBytes
    : LIMITS.maxProgramFileBytes;
}

export async function readSource(dir: string, path: string, limit: number): Promise<SourceFile> {
  const full = join(dir, path);
  // lstat: a symbolic link in a pull request could point at any file on the runner (or at
  // /dev/zero); it is reported, never followed.
  const info = await lstat(full);
  if (!info.isFile())
    return {
      path,
      size: 0,
      notRegular: info.isSymbolicLink() ? "a symbolic link" : "not a regular file",
    };
  const { size } = info;
  if (size > limit) return { path, size };
  return { path, size, bytes: new Uint8Array(await readFile(full)) };
}

/** The evidence folder named in soc2.yml, read leniently: the validator reports soc2.yml's own errors. */
export async function evidencePathFromProgram(dir: string): Promise<string> {
  try {
    const source = await readSource(dir, PROGRAM_FILE, LIMITS.maxProgramFileBytes);
    if (!source.bytes) return evidencePathOf(undefined);
    return evidencePathOf(
      parse(new TextDecoder().decode(source.bytes), { maxAliasCount: LIMITS.maxAliasCount }),
    );
  } catch {
    return evidencePathOf(undefined);
  }
}
