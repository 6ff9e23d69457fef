import { PULL_COMMITS_LIMIT, PULL_FILES_LIMIT } from "../../routes/pulls.js";
import { nodeId } from "../../serialize/context.js";
import type { PullRequestState } from "../../state/pull-request.js";
import { connection, type ConnectionArgs } from "../connection.js";
import { GitHubGraphQLError } from "../errors.js";
import {
  actorSource,
  commitSource,
  repositorySource,
  type GraphQLContext,
  type SourceOf,
} from "../sources.js";
import type { ResolverTable } from "./types.js";

type PrSrc = SourceOf<"PullRequest">;

const CHANGE_TYPE = {
  added: "ADDED",
  removed: "DELETED",
  modified: "MODIFIED",
  renamed: "RENAMED",
};

// Timeline items the stand-in serves, by GraphQL item type.
const TIMELINE_ITEMS: Record<string, string> = { BASE_REF_CHANGED_EVENT: "base_ref_changed" };

function timelineItems(pr: PullRequestState, itemTypes: string[] | undefined): unknown[] {
  const wanted = itemTypes ?? [];
  const unknown = wanted.find((t) => !(t in TIMELINE_ITEMS));
  // Listing every kind of item would need them all implemented: ask for the kinds you read.
  if (wanted.length === 0 || unknown !== undefined)
    throw new Error(
      `the GitHub stand-in serves timelineItems only for itemTypes ${Object.keys(TIMELINE_ITEMS).join(", ")}`,
    );
  return pr.timeline.flatMap((record) =>
    record.event === "base_ref_changed" && wanted.includes("BASE_REF_CHANGED_EVENT")
      ? [
          {
            __typename: "BaseRefChangedEvent",
            id: nodeId("BaseRefChangedEvent", record.id),
            createdAt: record.at,
            actor: actorSource(record.actor),
            previousRefName: record.details?.from ?? null,
            currentRefName: record.details?.to ?? null,
          },
        ]
      : [],
  );
}

/** Pull requests, their commits, reviews, files, labels and timeline. */
export const pullRequestResolvers: ResolverTable = {
  PullRequest: {
    id: (s: PrSrc) => nodeId("PullRequest", s.pr.id),
    databaseId: (s: PrSrc) => s.pr.id,
    number: (s: PrSrc) => s.pr.number,
    title: (s: PrSrc) => s.pr.title,
    // GraphQL's body is never null: an empty description is "".
    body: (s: PrSrc) => s.pr.body ?? "",
    url: (s: PrSrc, _a: unknown, ctx: GraphQLContext) =>
      `${ctx.web}/${s.pr.repo.fullName}/pull/${s.pr.number}`,
    state: (s: PrSrc) => (s.pr.merged ? "MERGED" : s.pr.state.toUpperCase()),
    isDraft: (s: PrSrc) => s.pr.draft,
    merged: (s: PrSrc) => s.pr.merged,
    mergedAt: (s: PrSrc) => s.pr.mergedAt,
    mergedBy: (s: PrSrc) => (s.pr.mergedBy ? actorSource(s.pr.mergedBy) : null),
    mergeCommit: (s: PrSrc) => {
      const commit = s.pr.mergeCommitSha
        ? s.pr.repo.git.commits.get(s.pr.mergeCommitSha)
        : undefined;
      return commit ? commitSource(s.pr.repo, commit) : null;
    },
    createdAt: (s: PrSrc) => s.pr.createdAt,
    updatedAt: (s: PrSrc) => s.pr.updatedAt,
    closedAt: (s: PrSrc) => s.pr.closedAt,
    author: (s: PrSrc) => actorSource(s.pr.author),
    repository: (s: PrSrc) => repositorySource(s.pr.repo),
    baseRepository: (s: PrSrc) => repositorySource(s.pr.repo),
    headRepository: (s: PrSrc) => repositorySource(s.pr.headRepository),
    baseRefName: (s: PrSrc) => s.pr.baseRef,
    baseRefOid: (s: PrSrc) => s.pr.baseSha,
    headRefName: (s: PrSrc) => s.pr.headRef,
    headRefOid: (s: PrSrc) => s.pr.headSha,
    changedFiles: (s: PrSrc) => s.pr.files().length,
    // Like REST, the list stops at 250 commits; totalCount says how many there are.
    commits: (s: PrSrc, args: ConnectionArgs) => {
      const page = connection(
        s.pr.commitShas.slice(0, PULL_COMMITS_LIMIT).flatMap((sha) => {
          const commit = s.pr.repo.git.commits.get(sha);
          return commit ? [{ __typename: "PullRequestCommit", pr: s.pr, commit }] : [];
        }),
        args,
        "commits",
      );
      return { ...page, totalCount: s.pr.commitShas.length };
    },
    files: (s: PrSrc, args: ConnectionArgs) =>
      connection(
        s.pr
          .files()
          .slice(0, PULL_FILES_LIMIT)
          .map((f) => ({
            path: f.filename,
            changeType: CHANGE_TYPE[f.status],
            additions: f.additions,
            deletions: f.deletions,
          })),
        args,
        "files",
      ),
    reviews: (s: PrSrc, args: ConnectionArgs & { states?: string[] }) =>
      connection(
        s.pr.reviews
          .filter((r) => !args.states || args.states.includes(r.state))
          .map((review) => ({ __typename: "PullRequestReview", pr: s.pr, review })),
        args,
        "reviews",
      ),
    labels: (s: PrSrc, args: ConnectionArgs) =>
      connection(
        s.pr.labels.map((l) => ({ name: l.name, color: l.color, description: l.description })),
        args,
        "labels",
      ),
    timelineItems: (s: PrSrc, args: ConnectionArgs & { itemTypes?: string[] }) =>
      connection(timelineItems(s.pr, args.itemTypes), args, "timelineItems"),
  },
  PullRequestCommit: {
    id: (s: SourceOf<"PullRequestCommit">) => nodeId("PullRequestCommit", s.commit.sha),
    commit: (s: SourceOf<"PullRequestCommit">) => commitSource(s.pr.repo, s.commit),
  },
  PullRequestReview: {
    id: (s: SourceOf<"PullRequestReview">) => nodeId("PullRequestReview", s.review.id),
    databaseId: (s: SourceOf<"PullRequestReview">) => s.review.id,
    author: (s: SourceOf<"PullRequestReview">) => actorSource(s.review.user),
    state: (s: SourceOf<"PullRequestReview">) => s.review.state,
    body: (s: SourceOf<"PullRequestReview">) => s.review.body,
    submittedAt: (s: SourceOf<"PullRequestReview">) => s.review.submittedAt,
    commit: (s: SourceOf<"PullRequestReview">) => {
      const commit = s.pr.repo.git.commits.get(s.review.commitId);
      return commit ? commitSource(s.pr.repo, commit) : null;
    },
  },
};

/** A pull request by number, or GitHub's NOT_FOUND. */
export function pullRequestByNumber(s: SourceOf<"Repository">, number: number): PrSrc {
  const pr = s.repo.pulls.get(number);
  if (!pr)
    throw new GitHubGraphQLError(
      `Could not resolve to a PullRequest with the number of ${number}.`,
      "NOT_FOUND",
    );
  return { __typename: "PullRequest", pr };
}
