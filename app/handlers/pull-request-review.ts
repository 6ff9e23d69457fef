import type { Context } from "probot";
import { buildReviewEvent } from "../../src/core/evidence/records/review-event.js";
import type { AppDependencies } from "../dependencies.js";
import { append, recordContext } from "./record.js";

/** pull_request_review.submitted, edited, dismissed → a review-event record. No API call. */
export function onReview(deps: AppDependencies) {
  return async (context: Context<"pull_request_review">): Promise<void> => {
    await append(deps, context, buildReviewEvent(context.payload, recordContext(deps, context)));
  };
}
