import { contentDigest } from "../digest.js";
import { assessAll } from "./assessment.js";
import { prepare, type Evaluation } from "./evaluation.js";
import type { PullRequestFacts } from "./facts.js";
import type { ChangePolicy } from "./policy.js";
import { applyFilter, filterResult, type ApprovalFilter } from "./rules/approval-filter.js";
import { approvalOnHead } from "./rules/approval-on-head.js";
import { approverEligibility } from "./rules/approver-eligibility.js";
import { baseBranch } from "./rules/base-branch.js";
import { botApprovals } from "./rules/bot-approvals.js";
import { changesRequested } from "./rules/changes-requested.js";
import { emergencyChange } from "./rules/emergency-change.js";
import { factsComplete } from "./rules/facts-complete.js";
import { requiredApprovals } from "./rules/required-approvals.js";
import { requiredChecks } from "./rules/required-checks.js";
import { separationOfDuties } from "./rules/separation-of-duties.js";
import { ticketReference } from "./rules/ticket-reference.js";
import { unattributedCommits } from "./rules/unattributed-commits.js";
import {
  combine,
  RULE_IDS,
  type RuleResult,
  type Verdict,
  type VerdictException,
} from "./verdict.js";

export interface EvaluationContext {
  /** The moment of evaluation; `soc2 evaluate` passes the facts' collected_at. */
  now: Date;
}

// Order matters only for the reasons: each approval's first set-aside reason is the one an owner
// requirement quotes.
const FILTERS: readonly ApprovalFilter[] = [botApprovals, approvalOnHead, separationOfDuties];

/**
 * Evaluates a pull request against the change-management policy. Pure and deterministic: the
 * same facts, policy and time always give the same verdict, byte for byte once serialized, so an
 * auditor can re-run it from the evidence.
 */
export function evaluate(
  facts: PullRequestFacts,
  policy: ChangePolicy,
  context: EvaluationContext,
): Verdict {
  const evaluation = prepare(facts, policy, context.now);
  const scope = baseBranch(evaluation);
  let rules: RuleResult[];
  let exception: VerdictException | undefined;
  if (scope.result === "skipped") {
    rules = outOfScope(scope);
  } else {
    const checked = [scope, ...applyRules(evaluation)];
    const emergency = emergencyChange(evaluation, checked);
    rules = [...checked, emergency.result];
    exception = emergency.exception;
  }
  const result = exception ? "pass" : combine(rules);
  exception ??= bypass(evaluation, result, rules);
  return {
    result,
    rules,
    ...(exception ? { exception } : {}),
    evaluated_at: context.now.toISOString(),
    policy_digest: contentDigest(policy),
    facts_digest: contentDigest(facts),
  };
}

function applyRules(evaluation: Evaluation): RuleResult[] {
  for (const filter of FILTERS) applyFilter(filter, evaluation);
  const assessments = assessAll(evaluation);
  const approvalsMet = assessments.every((a) => a.approvalsMet && a.ownersMet);
  return [
    factsComplete(evaluation),
    unattributedCommits(evaluation),
    changesRequested(evaluation),
    ...FILTERS.map((filter) => filterResult(filter, evaluation, approvalsMet)),
    approverEligibility(evaluation, assessments),
    requiredApprovals(evaluation, assessments),
    requiredChecks(evaluation),
    ticketReference(evaluation),
  ];
}

function outOfScope(scope: RuleResult): RuleResult[] {
  return RULE_IDS.map((rule) =>
    rule === scope.rule
      ? scope
      : { rule, result: "skipped", reason: "not evaluated: the base branch is not protected" },
  );
}

/** A merged pull request that did not pass was merged around the policy: surface it. */
function bypass(
  { facts }: Evaluation,
  result: Verdict["result"],
  rules: readonly RuleResult[],
): VerdictException | undefined {
  if (!facts.merged || result === "pass") return undefined;
  const unmet = rules
    .filter((r) => r.result === "fail" || r.result === "pending")
    .map((r) => r.rule);
  return {
    type: "bypass",
    reason: `merged by ${facts.merged.by.login} at ${facts.merged.at} although ${unmet.join(", ")} had not passed`,
  };
}
