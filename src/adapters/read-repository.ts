import { lstat } from "node:fs/promises";
import { join } from "node:path";
import {
  AUDIT_DIR,
  ACCESS_REVIEWS_DIR,
  classifyPath,
  CONTROLS_DIR,
  EXCEPTIONS_DIR,
  POLICIES_DIR,
  PROGRAM_FILE,
} from "../core/layout.js";
import { LIMITS } from "../core/limits.js";
import { evidencePathOf, readEvidence, type EvidenceRecord } from "../core/model.js";
import { loadSourceFile, type SourceFile } from "../core/source-file.js";
import { parse } from "yaml";
import { inParallel } from "./in-parallel.js";
import { listEntries } from "./list-files.js";
import { readAnswerFiles } from "./read-answer-files.js";
import { readRegularFile, readRegularFileSync, type RegularFileRead } from "./read-regular-file.js";

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
  const opened = await openRepository(dir, options);
  const records: SourceFile[] = [];
  for await (const record of opened.evidence) records.push(record);
  const answered = opened.files.filter(
    (f) => classifyPath(f.path, opened.evidencePath) === undefined,
  );
  const classified = opened.files.filter((f) => !answered.includes(f));
  // Path order, then the files request answers name (the order callers have always had).
  return [...[...classified, ...records].sort(byPath), ...answered];
}

/** A repository opened for a streaming validation: its small files read, its records to come. */
export interface OpenedRepository {
  /** soc2.yml, controls, policies, reviews, request lists and the files their answers name. */
  files: SourceFile[];
  /** The evidence folder the records were listed from. */
  evidencePath: string;
  /** How many evidence records `evidence` yields. */
  evidenceCount: number;
  /** The evidence records' paths, in the order `evidence` yields them. */
  evidencePaths: readonly string[];
  /** The evidence records in path order, each read shortly before it is needed. */
  evidence: AsyncIterable<SourceFile>;
  /** Reads a file again (for the position of a finding), never following a link. */
  reread: (path: string) => Uint8Array | undefined;
}

/**
 * Opens a compliance repository: reads its program files at once and lists its evidence records,
 * which it then reads in path order a few ahead of the consumer. A decade of records never has
 * to be in memory at once.
 */
export async function openRepository(
  dir: string,
  options: ReadOptions = {},
): Promise<OpenedRepository> {
  const evidencePath = options.evidencePath ?? (await evidencePathFromProgram(dir));
  const kind = (p: string) => classifyPath(p, evidencePath);
  // Every entry, not only regular files: links and FIFOs are reported (file-type), not skipped.
  const found = await listEntries(
    dir,
    options.evidence
      ? [CONTROLS_DIR, POLICIES_DIR, EXCEPTIONS_DIR, AUDIT_DIR, ACCESS_REVIEWS_DIR]
      : [CONTROLS_DIR, POLICIES_DIR, evidencePath, EXCEPTIONS_DIR, AUDIT_DIR, ACCESS_REVIEWS_DIR],
    (p) => kind(p) !== undefined,
  );
  const program = await lstat(join(dir, PROGRAM_FILE)).then(
    () => [PROGRAM_FILE],
    () => [],
  );
  // lstat, not exists: a link added by a pull request is reported even when it leads nowhere.
  const chosen: string[] = [];
  for (const p of options.evidence ?? [])
    if (
      kind(p) === "evidence" &&
      !p.split("/").includes("..") &&
      (await lstat(join(dir, p)).then(
        () => true,
        () => false,
      ))
    )
      chosen.push(p);
  const paths = [...new Set([...program, ...found, ...chosen])].filter(
    (p) => kind(p) !== undefined,
  );
  // The validator's order, so that findings and reports do not depend on how records are read.
  const recordPaths = paths
    .filter((p) => kind(p) === "evidence")
    .sort((a, b) => a.localeCompare(b));
  const otherPaths = paths.filter((p) => kind(p) !== "evidence").sort();
  const read = (path: string) => readSource(dir, path, limitFor(path, evidencePath));
  const files = await inParallel(otherPaths, CONCURRENCY, read);
  // Not classified, so the validator reads them only to digest what request answers point at.
  files.push(...(await readAnswerFiles(dir, files, evidencePath, new Set(recordPaths))));
  return {
    files,
    evidencePath,
    evidenceCount: recordPaths.length,
    evidencePaths: recordPaths,
    evidence: readEach(dir, recordPaths, LIMITS.maxEvidenceFileBytes),
    reread: (path) => readSourceSync(dir, path, LIMITS.maxEvidenceFileBytes).bytes,
  };
}

/** One evidence record, read and parsed whole (for a sampled record's packet); undefined when unreadable. */
export async function readEvidenceRecord(
  dir: string,
  path: string,
): Promise<EvidenceRecord | undefined> {
  const loaded = loadSourceFile(
    await readSource(dir, path, LIMITS.maxEvidenceFileBytes),
    "evidence",
  );
  return loaded.file ? readEvidence(loaded.file) : undefined;
}

const byPath = (a: SourceFile, b: SourceFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function limitFor(path: string, evidencePath: string): number {
  return classifyPath(path, evidencePath) === "evidence"
    ? LIMITS.maxEvidenceFileBytes
    : LIMITS.maxProgramFileBytes;
}

export async function readSource(dir: string, path: string, limit: number): Promise<SourceFile> {
  // Never follows a link (one in a pull request could point at any file on the runner, or at
  // /dev/zero), never blocks on a FIFO, never throws on a file it cannot read.
  return sourceOf(path, await readRegularFile(join(dir, path), limit));
}

/**
 * The records one after the other, each read synchronously as the consumer asks: for thousands of
 * small files, four promise round trips a file (open, stat, read, close) cost more of the one
 * thread than the reads themselves, and a record's check waits for its text either way.
 */
async function* readEach(
  dir: string,
  paths: readonly string[],
  limit: number,
): AsyncGenerator<SourceFile> {
  for (const path of paths) yield readSourceSync(dir, path, limit);
}

/** readSource, synchronously: for records read one by one as they are checked, or read again. */
export function readSourceSync(dir: string, path: string, limit: number): SourceFile {
  return sourceOf(path, readRegularFileSync(join(dir, path), limit));
}

function sourceOf(path: string, read: RegularFileRead): SourceFile {
  switch (read.kind) {
    case "read":
      return { path, size: read.size, bytes: read.bytes };
    case "too-large":
      return { path, size: read.size };
    case "not-regular":
      return { path, size: 0, notRegular: read.what };
    case "unreadable":
      return { path, size: 0, unreadable: read.reason };
  }
}

/** The evidence folder named in soc2.yml, read leniently: the validator reports soc2.yml's own errors. */
export async function evidencePathFromProgram(dir: string): Promise<string> {
  return evidencePathOf(await readProgramValue(dir));
}

/** The parsed soc2.yml of a folder, leniently: undefined when there is none or it cannot be read. */
export async function readProgramValue(dir: string): Promise<unknown> {
  try {
    const source = await readSource(dir, PROGRAM_FILE, LIMITS.maxProgramFileBytes);
    if (!source.bytes) return undefined;
    return parse(new TextDecoder().decode(source.bytes), { maxAliasCount: LIMITS.maxAliasCount });
  } catch {
    return undefined;
  }
}
