import type { Account } from "./facts.js";

/** An entry of GitHub's repository activity, reduced to what decides who pushed a commit. */
export interface RefActivity {
  /** Full ref: refs/heads/<branch>. */
  ref: string;
  after: string;
  activity_type: string;
  timestamp: string;
  /** Null when the account is gone (GitHub's ghost). */
  actor: Account | null;
}

/**
 * Who last put `sha` at the tip of `branch`: the actor of the newest activity on that branch whose
 * `after` is the SHA. Any kind of activity that moves the branch there counts (a push, a
 * force-push, creating the branch at it, GitHub's "update branch" merge), but a deletion does not.
 *
 * Only the head branch's own activity is read: the same commit may also have been pushed to the
 * base branch or land on a merge-queue branch (gh-readonly-queue/…, pushed by GitHub), and those
 * pushes say nothing about who put it on the pull request. Null when no entry matches (the push
 * is older than GitHub's activity history, or not indexed yet) or its actor is gone: the
 * evaluator then fails closed.
 */
export function pusherFromActivity(
  activities: readonly RefActivity[],
  branch: string,
  sha: string,
): Account | null {
  const ref = `refs/heads/${branch}`;
  const matches = activities
    .map((activity, index) => ({ activity, index }))
    .filter(
      ({ activity: a }) =>
        a.ref === ref && a.after === sha && a.activity_type !== "branch_deletion",
    )
    // Newest first; for equal timestamps, the API's own order (newest first) decides.
    .sort(
      (x, y) =>
        Date.parse(y.activity.timestamp) - Date.parse(x.activity.timestamp) || x.index - y.index,
    );
  return matches[0]?.activity.actor ?? null;
}
