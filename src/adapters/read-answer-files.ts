import { parse } from "yaml";
import { LIMITS } from "../core/limits.js";
import { classifyPath } from "../core/layout.js";
import { asList, asObject, asString } from "../core/json-read.js";
import type { SourceFile } from "../core/source-file.js";
import { readSource } from "./read-repository.js";

/** The largest evidence file an answer can freeze: an exported report or a PDF, not a data dump. */
export const MAX_ANSWER_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The files the answers of the request files point at, that the repository reader did not read
 * already (attachments, exports): the core digests them to tell a stale answer. A path outside the
 * repository (absolute, or with ..) is never read; the schema reports it.
 */
export async function readAnswerFiles(
  dir: string,
  files: readonly SourceFile[],
  evidencePath: string,
  /** Files that are read anyway (the evidence records a validation streams). */
  readElsewhere: ReadonlySet<string> = new Set(),
): Promise<SourceFile[]> {
  const have = new Set([...files.map((f) => f.path), ...readElsewhere]);
  const wanted = new Set<string>();
  for (const file of files) {
    if (!file.bytes || classifyPath(file.path, evidencePath) !== "request") continue;
    let value: unknown;
    try {
      value = parse(new TextDecoder().decode(file.bytes), { maxAliasCount: LIMITS.maxAliasCount });
    } catch {
      continue; // the validator reports the file's YAML error
    }
    for (const item of asList(asObject(asObject(value).answer).evidence)) {
      const path = asString(asObject(item).path);
      if (path && !have.has(path) && isInside(path)) wanted.add(path);
    }
  }
  const out: SourceFile[] = [];
  for (const path of [...wanted].sort())
    out.push(await readSource(dir, path, MAX_ANSWER_FILE_BYTES));
  return out;
}

/** A relative path that stays inside the repository: never absolute, never a "..". */
export function isInside(path: string): boolean {
  return (
    !path.startsWith("/") &&
    !/^[A-Za-z]:/.test(path) &&
    !path.includes("\\") &&
    !path.split("/").includes("..")
  );
}
