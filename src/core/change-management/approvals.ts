import type { Account, Review } from "./facts.js";
import type { ReviewerStanding } from "./reviews.js";
import type { RuleId } from "./verdict.js";

/** A reviewer's standing approval, and why (if at all) it does not count. */
export interface Approval {
  reviewer: Account;
  review: Review;
  /** The rules that set it aside, each with a phrase saying why. Empty: it counts. */
  setAside: Array<{ rule: RuleId; why: string }>;
}

/** The approvals still in force: each reviewer whose latest decisive review approves. */
export function standingApprovals(standings: readonly ReviewerStanding[]): Approval[] {
  return standings
    .filter((s) => s.standing === "approved")
    .map((s) => ({ reviewer: s.reviewer, review: s.review, setAside: [] }));
}

export function counts(approval: Approval): boolean {
  return approval.setAside.length === 0;
}

export function loginsOf(approvals: readonly Approval[]): string[] {
  return approvals.map((a) => a.reviewer.login);
}
