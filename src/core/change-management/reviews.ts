import type { Account, Review } from "./facts.js";

/**
 * Where a reviewer stands now:
 * - approved / changes-requested: their latest decisive review;
 * - dismissed: their latest decisive review was dismissed (it approves and blocks nothing);
 * - commented: they only ever commented.
 */
export type Standing = "approved" | "changes-requested" | "dismissed" | "commented";

export interface ReviewerStanding {
  /** The reviewer as their latest review names them (a renamed user keeps their id). */
  reviewer: Account;
  standing: Standing;
  /** The review that decides the standing (the latest comment when only commented). */
  review: Review;
}

/**
 * The latest review of each reviewer wins, with GitHub's semantics:
 * - reviewers are keyed by numeric id, never login, so a renamed user keeps their reviews;
 * - a COMMENTED review changes nothing: it neither withdraws an approval nor lifts a change request;
 * - a dismissed review is decisive: it takes the reviewer's approval (or block) away, and an
 *   earlier approval does not come back (policy-bot #119);
 * - order is by submission time, then review id (ids grow with time).
 *
 * Returned sorted by reviewer id, so the output does not depend on the order of the input.
 */
export function reviewerStandings(reviews: readonly Review[]): ReviewerStanding[] {
  const ordered = [...reviews].sort(
    (a, b) => Date.parse(a.submitted_at) - Date.parse(b.submitted_at) || a.id - b.id,
  );
  const byReviewer = new Map<number, ReviewerStanding>();
  for (const review of ordered) {
    const current = byReviewer.get(review.reviewer.id);
    const standing = standingOf(review);
    if (standing === "commented" && current) {
      byReviewer.set(review.reviewer.id, { ...current, reviewer: review.reviewer });
    } else {
      byReviewer.set(review.reviewer.id, { reviewer: review.reviewer, standing, review });
    }
  }
  return [...byReviewer.values()].sort((a, b) => a.reviewer.id - b.reviewer.id);
}

function standingOf(review: Review): Standing {
  if (review.dismissed === true || review.state === "DISMISSED") return "dismissed";
  if (review.state === "APPROVED") return "approved";
  if (review.state === "CHANGES_REQUESTED") return "changes-requested";
  return "commented";
}
