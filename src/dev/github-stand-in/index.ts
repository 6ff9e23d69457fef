/**
 * A stateful loopback stand-in for the GitHub REST API, for tests and `npm run demo`.
 * It listens on 127.0.0.1 only and is not GitHub: it implements the operations soc2-as-code calls
 * (see routes/) with GitHub's shapes, limits, pagination and error messages.
 */
export {
  startGitHubStandIn,
  GRAPHQL_ROUTE,
  LOOPBACK,
  type GitHubStandIn,
  type RecordedRequest,
  type StandInOptions,
  type StandInRequest,
  type StandInResponse,
} from "./server.js";
export {
  StandInState,
  type StateOptions,
  type AccountOptions,
  type InstallationOptions,
  type TeamOptions,
} from "./state/state.js";
export {
  RepositoryState,
  type RepositoryOptions,
  type CommitSpec,
  type CheckRunOptions,
  type StatusOptions,
  type BranchRule,
} from "./state/repository.js";
export {
  PullRequestState,
  type PullRequestOptions,
  type ReviewRecord,
  type ReviewOptions,
  type ReviewState,
  type MergeOptions,
} from "./state/pull-request.js";
export type { TimelineRecord } from "./state/timeline.js";
export type * from "./state/types.js";
export { isAccount } from "./state/types.js";
export type { Fault } from "./faults.js";
export { HookDeliveries, type HookAttempt } from "./hooks/deliveries.js";
export { tokenFingerprint, type AuthInfo } from "./http/auth.js";
export { ROUTES } from "./routes/index.js";
export { PULL_COMMITS_LIMIT, PULL_FILES_LIMIT } from "./routes/pulls.js";
export type { CommitObject, Verification } from "./git/store.js";
export { hashObject } from "./git/objects.js";
