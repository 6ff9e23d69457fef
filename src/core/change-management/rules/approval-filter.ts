import type { Approval } from "../approvals.js";
import type { Evaluation } from "../evaluation.js";
import { byLogin } from "../identity.js";
import type { RuleId, RuleResult } from "../verdict.js";

/**
 * A rule that decides which standing approvals count (bots, stale commits, contributors). Each
 * one sets approvals aside with a reason; the approval rules then count what is left.
 */
export interface ApprovalFilter {
  rule: RuleId;
  /** Why the rule is off under this policy, or undefined when it applies. */
  disabled(evaluation: Evaluation): string | undefined;
  /** Why an approval does not count, as a sentence starting with the reviewer's login. */
  reject(approval: Approval, evaluation: Evaluation): string | undefined;
  /** The reason when no approval was set aside. */
  clean(evaluation: Evaluation): string;
  /** What to do when the set-aside approvals leave the requirements unmet. */
  advice(evaluation: Evaluation): string;
}

/** Runs a filter over the approvals, recording what it sets aside on each approval. */
export function applyFilter(filter: ApprovalFilter, evaluation: Evaluation): void {
  if (filter.disabled(evaluation) !== undefined) return;
  for (const approval of evaluation.approvals) {
    const why = filter.reject(approval, evaluation);
    if (why !== undefined) approval.setAside.push({ rule: filter.rule, why });
  }
}

/**
 * The filter's result once the approvals are counted: it fails only when it set an approval aside
 * and the approval requirements are not met, so a pull request with enough other approvals is not
 * failed for a stray one (the reason still names it).
 */
export function filterResult(
  filter: ApprovalFilter,
  evaluation: Evaluation,
  approvalsMet: boolean,
): RuleResult {
  const off = filter.disabled(evaluation);
  if (off !== undefined) return { rule: filter.rule, result: "skipped", reason: off };
  const rejected = evaluation.approvals
    .filter((a) => a.setAside.some((s) => s.rule === filter.rule))
    .sort((a, b) => byLogin(a.reviewer, b.reviewer));
  if (rejected.length === 0) {
    return { rule: filter.rule, result: "pass", reason: filter.clean(evaluation) };
  }
  const whys = rejected.map((a) => a.setAside.find((s) => s.rule === filter.rule)!.why);
  const details = {
    set_aside: rejected.map((a) => ({
      reviewer: a.reviewer.login,
      reviewer_id: a.reviewer.id,
      review_id: a.review.id,
    })),
  };
  return approvalsMet
    ? {
        rule: filter.rule,
        result: "pass",
        reason: `${whys.join("; ")}: not counted, but the other approvals meet the policy`,
        details,
      }
    : {
        rule: filter.rule,
        result: "fail",
        reason: `${whys.join("; ")}: not counted. ${filter.advice(evaluation)}`,
        details,
      };
}
