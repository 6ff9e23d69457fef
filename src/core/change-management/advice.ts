import type { PullRequestFacts } from "./facts.js";
import type { ChangePolicy } from "./policy.js";
import { shortSha } from "./identity.js";

/**
 * What to do about missing approvals once the pull request is merged. Asking for an approval then
 * is wrong advice: it would not change what was merged, and GitHub no longer accepts reviews that
 * gate anything. What remains is an after-the-fact review, recorded with the exception.
 */
export function afterMergeAdvice(facts: PullRequestFacts): string | undefined {
  const merged = facts.merged;
  if (!merged) return undefined;
  return `It was already merged by ${merged.by.login} as ${shortSha(merged.commit_sha)}: an approval now would not change what was merged. Have someone who did not write or push the change review the merged change after the fact, and record that retrospective review against this change's bypass exception.`;
}

/** The policy excludes the last pusher, but the facts do not say who it is: no approval can count. */
export function pusherUnknown(facts: PullRequestFacts, policy: ChangePolicy): boolean {
  return policy.separation_of_duties.last_pusher && facts.last_pusher === null;
}
