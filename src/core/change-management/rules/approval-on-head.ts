import type { Approval } from "../approvals.js";
import type { Evaluation } from "../evaluation.js";
import { shortSha } from "../identity.js";
import type { ApprovalFilter } from "./approval-filter.js";

/**
 * An approval is of one commit (review.commit_id). Only an approval of the current head approves
 * what will be merged: a later push, a force-push or rebase, or an "update branch" merge from the
 * base all make it stale. This binding is exact, unlike guessing push times from statuses.
 * Retargeting changes the diff without changing the head, so approvals from before the latest
 * base change are stale too.
 */
export const approvalOnHead: ApprovalFilter = {
  rule: "approval-on-head",
  disabled: ({ policy }) =>
    policy.approval_must_be_on_head
      ? undefined
      : "approval_must_be_on_head is false: approvals of earlier commits count",
  reject: staleness,
  clean: ({ approvals, facts }) =>
    approvals.length === 0
      ? "no approvals yet"
      : `every approval is of the head commit ${shortSha(facts.head.sha)}`,
  advice: ({ facts }) => `Ask for a new review of the head commit ${shortSha(facts.head.sha)}.`,
};

function staleness({ reviewer, review }: Approval, { facts }: Evaluation): string | undefined {
  const head = shortSha(facts.head.sha);
  if (review.commit_id !== facts.head.sha) {
    const approved = shortSha(review.commit_id);
    const stillThere = facts.commits.some((c) => c.sha === review.commit_id);
    return stillThere
      ? `${reviewer.login} approved ${approved}, but commits were pushed after it (the head is now ${head})`
      : `${reviewer.login} approved ${approved}, which is no longer part of the pull request (force-pushed or rebased away; the head is now ${head})`;
  }
  const changedAt = facts.base.changed_at;
  if (changedAt !== undefined && Date.parse(review.submitted_at) < Date.parse(changedAt)) {
    return `${reviewer.login} approved before the pull request was retargeted to ${facts.base.ref} (${changedAt}), so they approved a different diff`;
  }
  return undefined;
}
