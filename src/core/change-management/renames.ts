import type { Review } from "./facts.js";
import { listOf, sameLogin } from "./identity.js";

/** A reviewer seen under more than one login: the same account (same id), renamed. */
export interface Renamed {
  id: number;
  /** The login of their latest review. */
  login: string;
  /** Earlier logins, oldest first. */
  former: string[];
}

/**
 * Reviewers whose reviews carry different logins for the same numeric id. Reviews are keyed by id,
 * so a renamed reviewer's earlier approval or request for changes still stands under the new
 * login; without saying so, a reason naming "robert" for a review "bob" gave would read as wrong.
 */
export function renamedReviewers(reviews: readonly Review[]): Renamed[] {
  const ordered = [...reviews].sort(
    (a, b) => Date.parse(a.submitted_at) - Date.parse(b.submitted_at) || a.id - b.id,
  );
  const logins = new Map<number, string[]>();
  for (const r of ordered) {
    const seen = logins.get(r.reviewer.id) ?? [];
    if (!seen.some((l) => sameLogin(l, r.reviewer.login))) seen.push(r.reviewer.login);
    logins.set(r.reviewer.id, seen);
  }
  return [...logins]
    .filter(([, seen]) => seen.length > 1)
    .map(([id, seen]) => ({ id, login: seen.at(-1)!, former: seen.slice(0, -1) }))
    .sort((a, b) => a.id - b.id);
}

/** "robert reviewed earlier as bob (the same account, id 2, renamed)", for the given ids. */
export function renameNotes(reviews: readonly Review[], ids?: ReadonlySet<number>): string[] {
  return renamedReviewers(reviews)
    .filter((r) => ids === undefined || ids.has(r.id))
    .map(
      (r) =>
        `${r.login} reviewed earlier as ${listOf(r.former, "and")} (the same account, id ${r.id}, renamed): those reviews are ${r.login}'s`,
    );
}
