import type { BranchActivity, MergedPull } from "./candidates.js";

/**
 * The delivery id a recovered record carries in source.delivery_id. No webhook delivered it, so
 * it is made from the change itself (never from the clock): the same change reconciled twice, or
 * by two replicas, gets the same id, and it can never be mistaken for GitHub's own (UUIDs).
 */
export function reconcileDeliveryId(
  change: { pull: MergedPull } | { activity: BranchActivity },
): string {
  if ("pull" in change) return `reconcile-pr-${change.pull.number}`;
  const a = change.activity;
  return a.type === "branch_deletion"
    ? `reconcile-deleted-${a.before.slice(0, 12)}`
    : `reconcile-push-${a.after.slice(0, 12)}`;
}
