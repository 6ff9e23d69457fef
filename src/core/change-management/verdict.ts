/** The rules the evaluator applies, in the order a verdict lists them. */
export const RULE_IDS = [
  "base-branch",
  "facts-complete",
  "unattributed-commits",
  "changes-requested",
  "bot-approvals",
  "approval-on-head",
  "separation-of-duties",
  "approver-eligibility",
  "required-approvals",
  "required-checks",
  "ticket-reference",
  "emergency-change",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export type RuleOutcome = "pass" | "fail" | "pending" | "skipped";

export interface RuleResult {
  rule: RuleId;
  result: RuleOutcome;
  /** Plain language: names people by login and commits by short SHA, and says what to do next. */
  reason: string;
  /** Structured facts behind the reason, e.g. the files an annotation should point at. */
  details?: Record<string, unknown>;
}

export interface VerdictException {
  /** emergency: let through by the emergency label. bypass: merged although the rules did not pass. */
  type: "emergency" | "bypass";
  reason: string;
  /** For emergencies: when the retrospective review is due (the evaluation time plus the policy's hours). */
  retrospective_review_due?: string;
}

export interface Verdict {
  result: "pass" | "fail" | "pending";
  rules: RuleResult[];
  exception?: VerdictException;
  evaluated_at: string;
  /** sha256 of the canonical JSON of the effective policy: shows which policy a verdict applied. */
  policy_digest: string;
  /** sha256 of the canonical JSON of the facts the verdict was computed from. */
  facts_digest: string;
}

/** fail if any rule fails, pending if none fails but one waits, else pass. */
export function combine(rules: readonly RuleResult[]): Verdict["result"] {
  if (rules.some((r) => r.result === "fail")) return "fail";
  if (rules.some((r) => r.result === "pending")) return "pending";
  return "pass";
}
