import { LIMITS } from "../../core/limits.js";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { readTextIfRegular } from "../../adapters/read-regular-file.js";
import { dirname, join, resolve } from "node:path";
import {
  indexEntry,
  indexSet,
  INDEX_DIR,
  isIndexFile,
  README_FILE,
  type IndexEntry,
  type IndexSet,
} from "../../core/evidence/indexes.js";
import { escapeControl } from "../../core/diagnostics.js";
import { normalizeEvidencePath } from "../../core/evidence/record-path.js";
import { detach } from "../../core/detach.js";
import { evidencePathFromProgram } from "../../adapters/read-repository.js";
import { EXIT, type Output, clockOf } from "../output.js";
import { loadAndValidate } from "./validate.js";

export interface IndexPlan {
  evidencePath: string;
  /** Every index file, as it should be: made one at a time as they are iterated. */
  files: IndexSet;
  /** Generated index files that exist but no record needs any more (paths from the root). */
  stale: string[];
  /** Records that cannot be indexed, with the reason. */
  skipped: Array<{ path: string; problem: string }>;
  records: number;
}

/**
 * Every index of the evidence folder rebuilt from all its records, and what is on disk now.
 * Reading only: `soc2 index` writes the plan, tests compare it.
 */
export async function planEvidenceIndexes(dir: string, now: Date): Promise<IndexPlan> {
  // The folder the records are listed from (the validator reads soc2.yml the same way).
  const evidencePath = normalizeEvidencePath(await evidencePathFromProgram(dir));
  const prefix = evidencePath === "" ? "" : `${evidencePath}/`;
  const entries: IndexEntry[] = [];
  const skipped: IndexPlan["skipped"] = [];
  // Each record leaves its index row as it streams by; the records are never all in memory.
  const { repository, diagnostics } = await loadAndValidate(dir, now, {
    retain: "summary",
    onRecord: (record) => {
      const read = indexEntry(record.file.path.slice(prefix.length), record.file.parsed.value);
      if (read.ok) entries.push(detach(read.entry));
      else skipped.push({ path: record.file.path, problem: read.problem });
    },
  });
  // Evidence files the validator could not read at all (too large, not UTF-8) are not records yet.
  const read = new Set(repository.evidence.map((r) => r.file.path));
  for (const d of diagnostics)
    if (
      d.severity === "error" &&
      d.path.startsWith(prefix) &&
      /\.ya?ml$/i.test(d.path) &&
      !read.has(d.path)
    ) {
      read.add(d.path);
      skipped.push({ path: d.path, problem: `line ${d.line}: ${d.message} [${d.rule}]` });
    }
  const readme = await readTextIfRegular(
    join(dir, prefix + README_FILE),
    LIMITS.maxProgramFileBytes,
  );
  const files = indexSet({
    evidencePath,
    entries,
    ...(readme === undefined ? {} : { readme }),
  });
  const wanted = new Set(files.paths);
  const stale = (await markdownUnder(dir, `${prefix}${INDEX_DIR}`)).filter(
    (p) => isIndexFile(p, evidencePath) && !wanted.has(p),
  );
  return {
    evidencePath,
    files,
    stale,
    skipped: skipped.sort((a, b) => (a.path < b.path ? -1 : 1)),
    records: entries.length,
  };
}

/**
 * `soc2 index [dir]`: rebuilds the Markdown indexes of the evidence folder (README.md and
 * index/by-period, by-control, by-repository) from every record. The App keeps them current as
 * it writes; this command catches up records filed by people or written before the indexes.
 * With --check it writes nothing and exits 1 when an index is not current.
 */
export async function indexCommand(
  dirArg: string | undefined,
  options: { check?: boolean },
  io: Output,
): Promise<number> {
  const dir = resolve(dirArg ?? ".");
  const plan = await planEvidenceIndexes(dir, clockOf(io));
  for (const s of plan.skipped)
    io.err(`${escapeControl(s.path)}: not indexed: ${escapeControl(s.problem)}\n`);
  // Each file is compared, and written when it differs, as it is made: one text at a time.
  const changed: string[] = [];
  for (const file of plan.files) {
    const current = await readTextIfRegular(join(dir, file.path), LIMITS.maxEvidenceFileBytes);
    if (current === file.text) continue;
    changed.push(file.path);
    if (options.check) continue;
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.text, "utf8");
  }
  if (options.check) {
    for (const path of changed) io.out(`${path}: not current\n`);
    for (const p of plan.stale) io.out(`${p}: no record needs it any more\n`);
    const stale = changed.length + plan.stale.length;
    io.err(
      stale === 0
        ? `✓ the indexes of ${plan.records} record(s) are current\n`
        : `✗ ${stale} index file(s) out of date: run soc2 index\n`,
    );
    return stale === 0 ? EXIT.ok : EXIT.findings;
  }
  for (const path of plan.stale) await rm(join(dir, path), { force: true });
  io.out(
    `indexed ${plan.records} record(s) in ${plan.evidencePath || "."}/: ${changed.length} file(s) written, ` +
      `${plan.files.paths.length - changed.length} already current, ${plan.stale.length} removed\n`,
  );
  return EXIT.ok;
}

/** Markdown files under a folder, as paths from the repository root; none when it is missing. */
async function markdownUnder(dir: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(dir, folder), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".md"))
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split("\\")
        .join("/"),
    )
    .sort();
}
