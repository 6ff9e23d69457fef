import { asList, asObject, asString } from "../json-read.js";
import type { Repository } from "../model.js";
import type { ChangeItem } from "./population.js";

/** A recorded change that modified a policy file, with who approved it. */
export interface PolicyChange {
  change: ChangeItem;
  /** How the change touched the file: added, modified, renamed, removed… as the facts say. */
  status: string;
}

/**
 * For each policy file, the merged pull requests whose facts snapshot lists it among the changed
 * files (by path, or by the path before a rename), oldest first: each is a version of the policy
 * and its approvers are the approval of that version. Direct pushes carry no file list, and a
 * snapshot whose list GitHub truncated (changed_files_complete false) may miss a file, so the
 * caller says what the records cannot show.
 */
export function policyChanges(
  repo: Repository,
  /** The population row of the record at a path, when it is a change record. */
  changeOf: (recordPath: string) => ChangeItem | undefined,
): Map<string, PolicyChange[]> {
  const paths = new Set(repo.policies.map((p) => p.file.path));
  const out = new Map<string, PolicyChange[]>();
  for (const record of repo.evidence) {
    const facts = asObject(asObject(record.content).facts);
    const files = asList(facts.changed_files).map(asObject);
    // Only a record that touched a policy is looked up: the rows may wait in a file.
    const touches = (f: Record<string, unknown>) =>
      [asString(f.path), asString(f.previous_path)].some((p) => p !== undefined && paths.has(p));
    const change = files.some(touches) ? changeOf(record.file.path) : undefined;
    if (!change) continue;
    for (const file of files) {
      const path = asString(file.path);
      const previous = asString(file.previous_path);
      const hit = [path, previous].find((p) => p !== undefined && paths.has(p));
      if (!hit) continue;
      out.set(hit, [...(out.get(hit) ?? []), { change, status: asString(file.status) ?? "" }]);
    }
  }
  for (const list of out.values())
    list.sort((a, b) => (a.change.mergedAt < b.change.mergedAt ? -1 : 1));
  return out;
}
