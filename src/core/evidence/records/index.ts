// Pure builders from webhook payloads and collected facts to evidence records (PendingRecord).
export { buildChangeRecord, exceptionOf, type MergeInput, type RecordException } from "./change-record.js";
export {
  buildDirectPushRecord,
  commitsOfCompare,
  commitsOfPushPayload,
  needsAccounts,
  pushCommitsComplete,
  pushedBranch,
  withCommitAccounts,
  type PushedCommit,
} from "./direct-push.js";
export type { RecordContext } from "./envelope.js";
export { mergeRecordId, pullRequestEventId, pushRecordId, reviewEventId } from "./ids.js";
export {
  commitShapeOf,
  inferMergeMethod,
  type CommitShape,
  type MergeMethod,
} from "./merge-method.js";
export { buildPullRequestEvent, type PushFacts } from "./pull-request-event.js";
export { buildReviewEvent, type Built } from "./review-event.js";
export { findTickets } from "./tickets.js";
