import { afterMergeAdvice } from "../advice.js";
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
  /**
   * Why the filter cannot vouch for any approval, when the facts lack what it needs (e.g. who
   * pushed the head). The rule then fails, approvals or not, unless no approval is required.
   */
  unresolved?(evaluation: Evaluation): string | undefined;
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
 * failed for a stray one (the reason still names it). A filter that cannot decide (unresolved)
 * fails closed even without approvals: "no approvals yet" must not read as a pass.
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
  const whys = rejected.map((a) => a.setAside.find((s) => s.rule === filter.rule)!.why);
  const details = {
    set_aside: rejected.map((a) => ({
      reviewer: a.reviewer.login,
      reviewer_id: a.reviewer.id,
      review_id: a.review.id,
    })),
  };
  const unresolved = filter.unresolved?.(evaluation);
  if (unresolved !== undefined) {
    if (approvalsMet)
      return {
        rule: filter.rule,
        result: "pass",
        reason: `${unresolved}, but the policy requires no approval here`,
      };
    const notCounted = whys.length > 0 ? ` Not counted: ${whys.join("; ")}.` : "";
    return {
      rule: filter.rule,
      result: "fail",
      reason: `${unresolved}.${notCounted} ${filter.advice(evaluation)}`,
      details,
    };
  }
  if (rejected.length === 0) {
    return { rule: filter.rule, result: "pass", reason: filter.clean(evaluation) };
  }
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
        reason: `${whys.join("; ")}: not counted. ${adviceOf(filter, evaluation)}`,
        details,
      };
}

/** The filter's advice, or after a merge the only advice that still helps (no "ask to approve"). */
function adviceOf(filter: ApprovalFilter, evaluation: Evaluation): string {
  return afterMergeAdvice(evaluation.facts) ?? filter.advice(evaluation);
}
