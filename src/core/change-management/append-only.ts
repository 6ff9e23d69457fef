import { isGeneratedIndex } from "../evidence/indexes.js";
import type { ChangedFile } from "./facts.js";

export interface AppendOnlyViolation {
  path: string;
  status: ChangedFile["status"];
  reason: string;
}

/**
 * Evidence is append-only: a pull request may add records, never modify, delete or move one.
 * Renames count against their old path too (moving a record out of the folder deletes it).
 */
export function appendOnlyViolations(
  files: readonly ChangedFile[],
  evidencePath: string,
): AppendOnlyViolation[] {
  const inEvidence = (path: string | undefined) =>
    path !== undefined &&
    path.startsWith(`${evidencePath}/`) &&
    !isGeneratedIndex(path, evidencePath);
  const out: AppendOnlyViolation[] = [];
  for (const file of files) {
    if (file.status === "added" || file.status === "unchanged") continue;
    if (file.status === "renamed" || file.status === "copied") {
      if (file.status === "renamed" && inEvidence(file.previous_path)) {
        out.push({
          path: file.path,
          status: file.status,
          reason: `moves the evidence record ${file.previous_path}: records never move; add a new record instead`,
        });
      }
      continue;
    }
    if (!inEvidence(file.path)) continue;
    out.push({
      path: file.path,
      status: file.status,
      reason:
        file.status === "removed"
          ? "deletes an evidence record: records are never deleted"
          : "changes an existing evidence record: records are never edited; add a new record that supersedes it",
    });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
