import type { Evaluation } from "../evaluation.js";
import type { Commit } from "../facts.js";
import { shortSha } from "../identity.js";
import type { RuleResult } from "../verdict.js";

/**
 * A commit whose author (or committer) maps to no GitHub account could be a reviewer's own work
 * under another email, escaping "contributors cannot approve" (policy-bot #1263). Fail closed.
 */
export function unattributedCommits({ facts, policy }: Evaluation): RuleResult {
  if (!policy.fail_on_unattributed_commits) {
    return {
      rule: "unattributed-commits",
      result: "skipped",
      reason:
        "fail_on_unattributed_commits is false: commits with no GitHub account are not checked, and their authors escape separation of duties",
    };
  }
  const offending = facts.commits.filter(isUnattributed);
  if (offending.length === 0) {
    return {
      rule: "unattributed-commits",
      result: "pass",
      reason: "every commit's author, committer and co-author is a GitHub account",
    };
  }
  const listed = offending.map((c) => {
    if (c.author.id === undefined || c.unattributed)
      return `${shortSha(c.sha)} (author "${c.author.name}")`;
    if (c.committer.id === undefined) return `${shortSha(c.sha)} (committer "${c.committer.name}")`;
    const co = (c.co_authors ?? []).find((p) => p.id === undefined);
    return `${shortSha(c.sha)} (co-author "${co?.name ?? "?"}")`;
  });
  return {
    rule: "unattributed-commits",
    result: "fail",
    reason: `${listed.join(", ")}: the email maps to no GitHub account, so whether a reviewer wrote it cannot be checked. Link the email to the person's GitHub account, or rewrite the commit with a linked email`,
    details: { commits: offending.map((c) => c.sha) },
  };
}

/**
 * A co-author counts too: GitHub writes `Co-authored-by` when a reviewer's suggestion is applied,
 * and a co-author whose email maps to no account could be that reviewer approving their own words.
 */
export function isUnattributed(commit: Commit): boolean {
  return (
    commit.unattributed ||
    commit.author.id === undefined ||
    commit.committer.id === undefined ||
    (commit.co_authors ?? []).some((p) => p.id === undefined)
  );
}
