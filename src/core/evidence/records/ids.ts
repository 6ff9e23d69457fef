import { createHash } from "node:crypto";

/**
 * Record ids are paths under the evidence folder, derived only from the webhook delivery, so a
 * redelivered webhook (same X-GitHub-Delivery) or a second replica handling it maps to the same
 * id and the store keeps one record. They are lower case, so that two ids never differ only by
 * case (case-insensitive file systems), and fit the evidence schema's id pattern and length.
 */

// Budgets that keep the longest id under the schema's 200 characters.
const MAX_OWNER = 39; // GitHub's own limit on logins
const MAX_REPO = 50;
const MAX_DELIVERY = 40;

/** One path segment: lower case, only [a-z0-9._-], never hidden (a leading dot), at most `max` characters. */
export function segment(value: string, max: number): string {
  let s = value
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // soc2 validate skips hidden folders: a repository named .github must not disappear.
  if (s.startsWith(".")) s = `_${s}`;
  if (s === "") s = "_";
  if (s.length <= max) return s;
  // Too long: keep a readable prefix and make it unique with a hash of the whole value.
  const hash = createHash("sha256").update(value).digest("hex").slice(0, 8);
  return `${s.slice(0, max - 9)}-${hash}`;
}

function repoPath(fullName: string): string {
  const [owner = "", name = ""] = fullName.split("/");
  return `${segment(owner, MAX_OWNER)}/${segment(name, MAX_REPO)}`;
}

/** yyyy/mm of an ISO timestamp (UTC). */
function month(iso: string): string {
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}`;
}

/** yyyymmddThhmmss of an ISO timestamp (UTC). */
function compactTime(iso: string): string {
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

const delivery = (id: string) => segment(id, MAX_DELIVERY);

/** changes/<owner>/<repo>/<yyyy>/<mm>/pr-<number>: a merged pull request, by the month it merged. */
export function mergeRecordId(repository: string, number: number, mergedAt: string): string {
  return `changes/${repoPath(repository)}/${month(mergedAt)}/pr-${number}`;
}

/**
 * changes/<owner>/<repo>/<yyyy>/<mm>/push-<after-sha-12>: a direct push, by the month it was
 * pushed; a deleted branch has no after commit: push-deleted-<before-sha-12>.
 */
export function pushRecordId(
  repository: string,
  push: { after: string } | { deletedAt: string },
  pushedAt: string,
): string {
  const name =
    "after" in push
      ? segment(push.after.slice(0, 12), 12)
      : `deleted-${segment(push.deletedAt.slice(0, 12), 12)}`;
  return `changes/${repoPath(repository)}/${month(pushedAt)}/push-${name}`;
}

/** reviews/<owner>/<repo>/pr-<number>/<review-id>-<action>-<delivery-id>. */
export function reviewEventId(
  repository: string,
  number: number,
  reviewId: number,
  action: string,
  deliveryId: string,
): string {
  return `reviews/${repoPath(repository)}/pr-${number}/${reviewId}-${segment(action, 20)}-${delivery(deliveryId)}`;
}

/** pull-requests/<owner>/<repo>/pr-<number>: where one pull request's event records are kept. */
export function pullRequestEventFolder(repository: string, number: number): string {
  return `pull-requests/${repoPath(repository)}/pr-${number}`;
}

/** The action's part of a pull-request-event id (synchronize, base-changed, …). */
export function pullRequestActionSegment(action: string): string {
  return segment(action.replace(/_/g, "-"), 20);
}

/** pull-requests/<owner>/<repo>/pr-<number>/<yyyymmddThhmmss>-<action>-<delivery-id>. */
export function pullRequestEventId(
  repository: string,
  number: number,
  occurredAt: string,
  action: string,
  deliveryId: string,
): string {
  return `${pullRequestEventFolder(repository, number)}/${compactTime(occurredAt)}-${pullRequestActionSegment(action)}-${delivery(deliveryId)}`;
}
