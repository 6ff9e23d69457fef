import type { GroupAssessment } from "../assessment.js";
import type { Evaluation } from "../evaluation.js";
import { listOf } from "../identity.js";
import type { Approvers } from "../policy.js";
import { ALL_CHANGES, hasApproverRules, restrictsApprovers } from "../requirements.js";
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
      const notes = [
        ...owner.setAside,
        ...owner.notApproving,
        ...(owner.problem ? [owner.problem] : []),
      ];
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
    satisfied.length > 0 ? satisfied.join("; ") : noOwnerSummary(evaluation, relevant);
  return {
    rule: "approver-eligibility",
    result: "pass",
    reason: [summary, ...notes].join("; "),
    details,
  };
}

/**
 * The pass reason when no owner has approved anything: it must say what was actually found, never
 * "approvals come from code owners" when nobody approved or no changed path has an owner.
 */
function noOwnerSummary(evaluation: Evaluation, relevant: readonly GroupAssessment[]): string {
  const restricting = relevant.filter((a) => restrictsApprovers(a.group.approvers));
  const counted = [...new Set(relevant.flatMap((a) => a.counted.map((c) => c.reviewer.login)))];
  const parts: string[] = [];
  if (restricting.length > 0) {
    const accepted = listOf(
      restricting.map((a) => evaluation.directory.describeLists(listsOnly(a.group.approvers))),
    );
    parts.push(
      counted.length > 0
        ? `${listOf(counted)} ${counted.length === 1 ? "is" : "are"} among those the policy accepts (${accepted})`
        : `no approval yet: only approvals from ${accepted} will count`,
    );
  }
  const ownerKinds = ownerKindsAsked(relevant);
  if (ownerKinds.length > 0)
    parts.push(
      `no changed file has ${listOf(ownerKinds, "or")}, so no owner's approval is needed${restricting.length > 0 ? "" : ": any reviewer the other rules allow may approve"}`,
    );
  return parts.join("; ");
}

/** The approver lists without the owner flags, to describe who is accepted by name. */
function listsOnly(approvers: Approvers): Approvers {
  return { ...approvers, codeowners: false, control_owners: false };
}

function ownerKindsAsked(relevant: readonly GroupAssessment[]): string[] {
  const kinds: string[] = [];
  if (relevant.some((a) => a.group.approvers.codeowners)) kinds.push("a code owner");
  if (relevant.some((a) => a.group.approvers.control_owners)) kinds.push("a control owner");
  return kinds;
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
