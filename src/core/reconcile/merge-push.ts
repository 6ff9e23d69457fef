import type { BranchActivity, MergedPull } from "./candidates.js";

/**
 * The merged pull request whose merge made a push, when the listing says so for certain: the push
 * moved the pull request's base branch from the merge commit's first parent to the merge commit.
 * Every commit such a push brought is then the merge commit or one of the pull request's own (the
 * commits reachable from its head and not from the base it merged into), so the push check would
 * find them all in a merged pull request and record nothing: the reconciler can say so without
 * asking GitHub about each commit. A rebase merge, a force push or a push that also carried other
 * commits does not match, and is checked as any push is.
 */
export function mergePushes(
  pulls: readonly MergedPull[],
): (activity: BranchActivity) => MergedPull | undefined {
  const byMergeCommit = new Map<string, MergedPull>();
  for (const pull of pulls) if (pull.mergeCommit) byMergeCommit.set(pull.mergeCommit.sha, pull);
  return (activity) => {
    if (activity.type !== "push") return undefined;
    const pull = byMergeCommit.get(activity.after);
    if (!pull?.mergeCommit || pull.baseRef !== activity.branch) return undefined;
    return pull.mergeCommit.parents[0] === activity.before ? pull : undefined;
  };
}
