import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { Repository } from "../model.js";
import type { LoadedFile } from "../source-file.js";

/** Control, policy and evidence IDs are each unique: references and reports rely on it. */
export function checkUniqueIds(repo: Repository): Diagnostic[] {
  return [
    ...duplicates("control", repo.controls),
    ...duplicates("policy", repo.policies),
    ...duplicates("evidence record", repo.evidence),
  ];
}

function duplicates(
  noun: string,
  items: ReadonlyArray<{ id?: string; file: LoadedFile }>,
): Diagnostic[] {
  const first = new Map<string, LoadedFile>();
  const out: Diagnostic[] = [];
  // Sorted by path so that the same files always report the same duplicate.
  for (const item of [...items].sort((a, b) => a.file.path.localeCompare(b.file.path))) {
    if (item.id === undefined) continue;
    const earlier = first.get(item.id);
    if (!earlier) {
      first.set(item.id, item.file);
      continue;
    }
    const at = earlier.parsed.locate(["id"]);
    out.push(
      diagnostic(
        item.file.path,
        item.file.parsed.locate(["id"]),
        "error",
        "duplicate-id",
        `${noun} ID "${item.id}" is already used by ${earlier.path}:${at.line}: give this one a different ID`,
      ),
    );
  }
  return out;
}
