// Continuous monitoring: settings snapshots of GitHub, the desired state in soc2.yml, and drift.
export { effectiveProtection, type EffectiveProtection } from "./branch-protection.js";
export {
  readDesiredState,
  type BranchProtectionRequirement,
  type Declaration,
  type DesiredState,
  type OrganizationRequirement,
  type RepositoryRequirement,
} from "./desired-state.js";
export {
  evaluateDrift,
  worst,
  type CheckResult,
  type ControlDrift,
  type DriftCheck,
} from "./drift.js";
export { resolveSnapshots, type ResolveProblem, type StoredRecord } from "./resolve.js";
export {
  buildSnapshotRecord,
  controlsForScope,
  snapshotFolder,
  snapshotRecordId,
  type SnapshotRecordInput,
  type StoredSnapshot,
} from "./snapshot-record.js";
export * from "./snapshot.js";
export {
  DRIFT_LABEL,
  driftIssueBody,
  driftIssueTitle,
  driftMarker,
  planDriftIssues,
  type DriftIssue,
  type DriftIssueAction,
} from "./drift-issues.js";
export { buildDriftEventRecord, driftEventSummary, type DriftEventInput } from "./drift-event.js";
export {
  ACCESS_REVIEWS_DIR,
  accessReviewChecks,
  accessReviewPath,
  accessReviewers,
  buildAccessReview,
  isPeriod,
  periodOf,
  readAccessReview,
  readAccessReviewSettings,
  renderAccessReview,
  type AccessReview,
  type AccessReviewEntry,
  type AccessReviewInput,
  type ReviewEvery,
} from "./access-review.js";
