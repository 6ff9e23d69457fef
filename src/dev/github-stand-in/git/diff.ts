import type { GitObjectStore } from "./store.js";

/** One changed file between two trees, in the shape of GitHub's diff entries. */
export interface FileChange {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  previous_filename?: string;
  /** Blob sha after the change (before it, for removed files). */
  sha: string;
  additions: number;
  deletions: number;
  changes: number;
}

function lines(store: GitObjectStore, sha: string | undefined): string[] {
  if (!sha) return [];
  const text = store.blobs.get(sha)?.toString("utf8") ?? "";
  if (text === "") return [];
  return text.replace(/\n$/, "").split("\n");
}

// Line counts without a full diff: lines of one side not matched by an equal line on the other.
function countChanges(before: string[], after: string[]): { additions: number; deletions: number } {
  const pool = new Map<string, number>();
  for (const line of before) pool.set(line, (pool.get(line) ?? 0) + 1);
  let additions = 0;
  for (const line of after) {
    const left = pool.get(line) ?? 0;
    if (left > 0) pool.set(line, left - 1);
    else additions++;
  }
  const deletions = [...pool.values()].reduce((a, b) => a + b, 0);
  return { additions, deletions };
}

/** Files that differ between two trees (undefined: the empty tree), renames detected by content. */
export function diffTrees(
  store: GitObjectStore,
  from: string | undefined,
  to: string | undefined,
): FileChange[] {
  const before = store.files(from);
  const after = store.files(to);
  const removed = new Map<string, string>();
  for (const [path, sha] of before) if (!after.has(path)) removed.set(path, sha);
  const out: FileChange[] = [];
  for (const [path, sha] of after) {
    const old = before.get(path);
    if (old === sha) continue;
    if (old === undefined) {
      const renamedFrom = [...removed].find(([, s]) => s === sha)?.[0];
      if (renamedFrom !== undefined) {
        removed.delete(renamedFrom);
        out.push({
          filename: path,
          status: "renamed",
          previous_filename: renamedFrom,
          sha,
          additions: 0,
          deletions: 0,
          changes: 0,
        });
        continue;
      }
    }
    const { additions, deletions } = countChanges(lines(store, old), lines(store, sha));
    const status = old === undefined ? "added" : "modified";
    out.push({ filename: path, status, sha, additions, deletions, changes: additions + deletions });
  }
  for (const [path, sha] of removed) {
    const deletions = lines(store, sha).length;
    out.push({
      filename: path,
      status: "removed",
      sha,
      additions: 0,
      deletions,
      changes: deletions,
    });
  }
  return out.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}
