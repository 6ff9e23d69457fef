import type { Evaluation } from "../evaluation.js";
import { listOf } from "../identity.js";
import type { RuleResult, VerdictException } from "../verdict.js";

const HOUR_MS = 3_600_000;

/** The emergency label from the policy, when the pull request carries it (labels are case-insensitive). */
export function emergencyLabel({ facts, policy }: Evaluation): string | undefined {
  const label = policy.emergency?.label;
  if (label === undefined) return undefined;
  return facts.labels.some((l) => l.toLowerCase() === label.toLowerCase()) ? label : undefined;
}

/**
 * The emergency path: a labelled change goes through even though rules fail or wait, with a
 * recorded exception and a retrospective review due within the policy's hours. The other rules
 * still report what they found, so the retrospective review knows what was skipped.
 */
export function emergencyChange(
  evaluation: Evaluation,
  others: readonly RuleResult[],
): { result: RuleResult; exception?: VerdictException } {
  const emergency = evaluation.policy.emergency;
  if (!emergency) {
    return {
      result: {
        rule: "emergency-change",
        result: "skipped",
        reason: "the policy defines no emergency label",
      },
    };
  }
  const label = emergencyLabel(evaluation);
  if (label === undefined) {
    return {
      result: {
        rule: "emergency-change",
        result: "skipped",
        reason: `not labelled ${emergency.label}`,
      },
    };
  }
  const unmet = others.filter((r) => r.result === "fail" || r.result === "pending");
  if (unmet.length === 0) {
    return {
      result: {
        rule: "emergency-change",
        result: "pass",
        reason: `labelled ${label}, but every rule passed: no exception needed`,
      },
    };
  }
  const due = new Date(
    evaluation.now.getTime() + emergency.retrospective_review_hours * HOUR_MS,
  ).toISOString();
  const wouldHave = listOf(
    unmet.map((r) => `${r.rule} (${r.result === "fail" ? "failed" : "pending"})`),
  );
  return {
    result: {
      rule: "emergency-change",
      result: "pass",
      reason: `labelled ${label}: let through as an emergency although ${wouldHave}. A retrospective review is due by ${due}`,
      details: { label, would_have_failed: unmet.map((r) => r.rule) },
    },
    exception: {
      type: "emergency",
      reason: `emergency change (labelled ${label}) let through although ${wouldHave}`,
      retrospective_review_due: due,
    },
  };
}
