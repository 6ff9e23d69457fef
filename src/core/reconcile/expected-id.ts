import { mergeRecordId, pushRecordId } from "../evidence/records/ids.js";
import type { BranchActivity, MergedPull } from "./candidates.js";

/**
 * The id the record of a change has if it was recorded, by the webhook path or by an earlier
 * reconciliation: the same functions derive both (the month of the merge or push, the pull
 * request's number, the SHA the branch was pushed to).
 */
export function expectedRecordId(
  repository: string,
  change: { pull: MergedPull } | { activity: BranchActivity },
): string {
  if ("pull" in change) return mergeRecordId(repository, change.pull.number, change.pull.mergedAt);
  const a = change.activity;
  return pushRecordId(
    repository,
    a.type === "branch_deletion" ? { deletedAt: a.before } : { after: a.after },
    a.timestamp,
  );
}
