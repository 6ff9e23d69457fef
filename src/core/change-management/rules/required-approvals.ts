import type { GroupAssessment } from "../assessment.js";
import type { Evaluation } from "../evaluation.js";
import { byLogin, listOf, shortSha } from "../identity.js";
import { afterMergeAdvice, pusherUnknown } from "../advice.js";
import { renameNotes } from "../renames.js";
import { ALL_CHANGES } from "../requirements.js";
import type { RuleResult } from "../verdict.js";

/**
 * Enough approvals that count: the top-level required_approvals over every change, and each
 * matching path rule's own count from its own approvers. A reviewer's approval counts once, for
 * every group that accepts them.
 */
export function requiredApprovals(
  evaluation: Evaluation,
  assessments: readonly GroupAssessment[],
): RuleResult {
  const lines = assessments.map((a) => {
    const who = a.counted.length > 0 ? `: ${listOf(a.counted.map((c) => c.reviewer.login))}` : "";
    const scope =
      a.group.name === ALL_CHANGES ? "" : `${a.group.name} (${fileList(a.group.files)}): `;
    return `${scope}${a.counted.length} of ${a.group.required_approvals} required approval(s)${who}`;
  });
  const details = {
    groups: assessments.map((a) => ({
      name: a.group.name,
      required: a.group.required_approvals,
      counted: a.counted.map((c) => c.reviewer.login),
    })),
  };
  const renames = renameNotes(
    evaluation.facts.reviews,
    new Set(evaluation.approvals.map((a) => a.reviewer.id)),
  );
  if (assessments.every((a) => a.approvalsMet)) {
    return {
      rule: "required-approvals",
      result: "pass",
      reason: [lines.join("; "), ...renames].join(". "),
      details,
    };
  }
  const notCounted = evaluation.approvals
    .filter((a) => a.setAside.length > 0)
    .sort((a, b) => byLogin(a.reviewer, b.reviewer))
    .map((a) => `${a.reviewer.login} (${a.setAside.map((s) => s.rule).join(", ")})`);
  const head = shortSha(evaluation.facts.head.sha);
  const advice =
    afterMergeAdvice(evaluation.facts) ??
    (pusherUnknown(evaluation.facts, evaluation.policy)
      ? `No approval can count while who pushed the head commit ${head} is unknown: see separation-of-duties`
      : `Ask a reviewer who did not write or push the change to approve the head commit ${head}`);
  return {
    rule: "required-approvals",
    result: "fail",
    reason: [
      lines.join("; "),
      ...(notCounted.length > 0 ? [`Not counted: ${notCounted.join(", ")}`] : []),
      ...withoutApproval(evaluation),
      ...renameNotes(evaluation.facts.reviews),
      advice,
    ].join(". "),
    details,
  };
}

/**
 * Reviewers who reviewed but do not approve now, so nobody reads "0 approvals" as "nobody looked":
 * a dismissed review no longer approves (and an earlier approval does not come back), and a
 * comment is not an approval.
 */
function withoutApproval({ standings }: Evaluation): string[] {
  const sorted = [...standings].sort((a, b) => byLogin(a.reviewer, b.reviewer));
  const dismissed = sorted.filter((s) => s.standing === "dismissed").map((s) => s.reviewer.login);
  const commented = sorted.filter((s) => s.standing === "commented").map((s) => s.reviewer.login);
  const out: string[] = [];
  if (dismissed.length > 0)
    out.push(
      `Dismissed: ${listOf(dismissed)} (a dismissed review no longer approves; an earlier approval does not come back)`,
    );
  if (commented.length > 0)
    out.push(`Only commented: ${listOf(commented)} (a comment is not an approval)`);
  return out;
}

function fileList(files: readonly string[]): string {
  return files.length <= 3
    ? files.join(", ")
    : `${files.slice(0, 3).join(", ")} and ${files.length - 3} more`;
}
