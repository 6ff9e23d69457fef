import type { CommitObject } from "../git/store.js";
import type { SerializeContext } from "../serialize/context.js";
import type { PullRequestState, ReviewRecord } from "../state/pull-request.js";
import type { RepositoryState } from "../state/repository.js";
import type { Account, CheckRunRecord, Team } from "../state/types.js";

/**
 * What a resolved object is: the stand-in's state, tagged with its GraphQL type so that
 * interfaces and unions (Actor, GitObject, …) resolve, and so that its type's resolvers apply.
 */
export type Source =
  | { __typename: "Repository"; repo: RepositoryState }
  | { __typename: "PullRequest"; pr: PullRequestState }
  | { __typename: "PullRequestCommit"; pr: PullRequestState; commit: CommitObject }
  | { __typename: "PullRequestReview"; pr: PullRequestState; review: ReviewRecord }
  | { __typename: "Commit"; repo: RepositoryState; commit: CommitObject }
  | { __typename: "User" | "Bot" | "Organization"; account: Account }
  | { __typename: "CheckSuite"; repo: RepositoryState; sha: string; runs: CheckRunRecord[] }
  | { __typename: "Team"; team: Team };

export type SourceOf<T extends Source["__typename"]> = Extract<Source, { __typename: T }>;

export const repositorySource = (repo: RepositoryState): SourceOf<"Repository"> => ({
  __typename: "Repository",
  repo,
});

export const pullRequestSource = (pr: PullRequestState): SourceOf<"PullRequest"> => ({
  __typename: "PullRequest",
  pr,
});

export const commitSource = (repo: RepositoryState, commit: CommitObject): SourceOf<"Commit"> => ({
  __typename: "Commit",
  repo,
  commit,
});

export const actorSource = (account: Account): Source => ({
  __typename: account.type,
  account,
});

/** The GraphQL context: the state and the URLs answers point at. */
export type GraphQLContext = SerializeContext;
