import type { PendingRecord } from "../pending-record.js";
import { envelope, type RecordContext } from "./envelope.js";
import { reviewEventId } from "./ids.js";
import { accountOf, isoTime, obj, repositoryOf, shaOf, str } from "./payload.js";

const ACTIONS = new Set(["submitted", "edited", "dismissed"]);
const STATES = new Set(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

/** A record, or why the payload cannot give one (logged by the App, never thrown). */
export type Built = { record: PendingRecord } | { skip: string };

/**
 * A review-event record from a pull_request_review webhook (submitted, edited, dismissed): who
 * reviewed which commit, with what decision, and who acted. Reviews are bound to the commit they
 * were made on, which is what an approval is worth.
 */
export function buildReviewEvent(payload: unknown, context: RecordContext): Built {
  const p = obj(payload);
  const action = str(p.action);
  if (!ACTIONS.has(action)) return { skip: `pull_request_review.${action} is not recorded` };
  const pr = obj(p.pull_request);
  const review = obj(p.review);
  const repository = repositoryOf(p);
  const reviewer = accountOf(review.user);
  const number = typeof pr.number === "number" ? pr.number : 0;
  const reviewId = typeof review.id === "number" ? review.id : 0;
  const commit = shaOf(review.commit_id);
  const submittedAt = isoTime(review.submitted_at);
  if (!repository.id || !number || !reviewId || !reviewer || !submittedAt)
    return { skip: "the payload lacks the repository, pull request, review or reviewer" };

  const state = str(review.state).toUpperCase();
  const dismissed = action === "dismissed" || state === "DISMISSED";
  if (!dismissed && !STATES.has(state)) return { skip: `the review's state "${state}" is unknown` };
  const actor = accountOf(p.sender);
  const headSha = shaOf(obj(pr.head).sha);
  // GitHub dates a submission, not an edit or a dismissal: those are dated when received.
  const occurredAt =
    action === "submitted" ? submittedAt : context.recordedAt.toISOString();
  const url = str(pr.html_url);

  const content: Record<string, unknown> = {
    repository,
    pull_request: {
      number,
      ...(headSha ? { head_sha: headSha } : {}),
      ...(url ? { url } : {}),
    },
    action,
    review: {
      id: reviewId,
      reviewer,
      state: dismissed ? "DISMISSED" : state,
      ...(commit ? { commit_id: commit } : {}),
      submitted_at: submittedAt,
      ...(dismissed ? { dismissed: true } : {}),
    },
    ...(actor ? { actor } : {}),
    occurred_at: occurredAt,
  };
  const id = reviewEventId(repository.full_name, number, reviewId, action, context.deliveryId);
  return { record: envelope(context, "review-event", id, action, content) };
}
