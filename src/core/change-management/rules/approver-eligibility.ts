import type { GroupAssessment } from "../assessment.js";
import type { Evaluation } from "../evaluation.js";
import { listOf } from "../identity.js";
import { ALL_CHANGES, hasApproverRules } from "../requirements.js";
import type { RuleResult } from "../verdict.js";

/**
 * Who may approve: approvers.users, .teams and .owners say whose approvals count (any one listed
 * source suffices); approvers.codeowners and .control_owners also require, for each changed path
 * they own, an approval from one of its owners. Owners are read from the base branch only.
 */
export function approverEligibility(
  evaluation: Evaluation,
  assessments: readonly GroupAssessment[],
): RuleResult {
  const relevant = assessments.filter((a) => hasApproverRules(a.group.approvers));
  if (relevant.length === 0) {
    return {
      rule: "approver-eligibility",
      result: "skipped",
      reason:
        "the policy names no approvers: any reviewer not excluded by the other rules may approve",
    };
  }
  const problems: string[] = [];
  const satisfied: string[] = [];
  for (const assessment of relevant) {
    const scope = assessment.group.name === ALL_CHANGES ? "" : `, under "${assessment.group.name}"`;
    for (const owner of assessment.owners) {
      if (owner.approvedBy.length > 0) {
        satisfied.push(`${owner.path}: approved by ${listOf(owner.approvedBy)}`);
        continue;
      }
      const notes = [...owner.setAside, ...(owner.problem ? [owner.problem] : [])];
      problems.push(
        `${owner.path} needs an approval from ${owner.owners}${scope}${notes.length > 0 ? `: ${notes.join("; ")}` : ""}`,
      );
    }
    if (assessment.ineligible.length > 0 && !assessment.approvalsMet) {
      const who = listOf(assessment.ineligible.map((a) => a.reviewer.login));
      problems.push(
        `${who} may not approve ${assessment.group.name === ALL_CHANGES ? "this change" : `changes to ${assessment.group.name}`}: the policy accepts ${evaluation.directory.describeLists(assessment.group.approvers)}`,
      );
    }
  }
  const notes = codeownersNotes(evaluation, relevant);
  const details = {
    owners: relevant.flatMap((a) =>
      a.owners.map((o) => ({
        group: a.group.name,
        kind: o.kind,
        path: o.path,
        owners: o.owners,
        approved_by: o.approvedBy,
      })),
    ),
  };
  if (problems.length > 0) {
    return {
      rule: "approver-eligibility",
      result: "fail",
      reason: [...problems, ...notes].join("; "),
      details,
    };
  }
  const summary =
    satisfied.length > 0
      ? satisfied.join("; ")
      : `approvals come from ${listOf(relevant.map((a) => evaluation.directory.describeLists(a.group.approvers)))}`;
  return {
    rule: "approver-eligibility",
    result: "pass",
    reason: [summary, ...notes].join("; "),
    details,
  };
}

function codeownersNotes(evaluation: Evaluation, relevant: readonly GroupAssessment[]): string[] {
  if (!relevant.some((a) => a.group.approvers.codeowners)) return [];
  const { codeowners, facts } = evaluation;
  if (!codeowners) return ["the base branch has no CODEOWNERS file, so no path has code owners"];
  const skipped = codeowners.skipped.map((s) => `line ${s.line} (${s.problem})`);
  return skipped.length === 0
    ? []
    : [`${facts.codeowners?.path ?? "CODEOWNERS"} lines GitHub ignores: ${skipped.join(", ")}`];
}
