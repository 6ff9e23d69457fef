import type { Check, PullRequestFacts } from "../../core/change-management/facts.js";
import { needsCodeOwners, teamsToCollect } from "../../core/change-management/teams.js";
import type { CommitShape } from "../../core/evidence/records/merge-method.js";
import { commitShapeOf } from "../../core/evidence/records/merge-method.js";
import { asObject as obj, textOf as str } from "../../core/json-read.js";
import type { GitHubClient } from "./client.js";
import {
  assembleFacts,
  changedFile,
  collectChecks,
  collectTeams,
  readCodeOwners,
  lastPusherOf,
  listChangedFiles,
  type ChangedFileList,
  type CollectRequest,
} from "./collect-facts.js";
import { runQuery, type GraphQLClient } from "./graphql-client.js";
import { connectionPageQuery, pullRequestQuery, type PagedConnection } from "./graphql-queries.js";
import {
  headChecks,
  mergeCommitShape,
  movedFile,
  nodesOf,
  restCommit,
  restFile,
  restPullRequest,
  restReview,
} from "./graphql-shapes.js";
import { prefetchedFrom, prefetchedReader, type PrefetchedFiles } from "./prefetched-files.js";

/** What one GraphQL read of a pull request gives, in REST's shapes (see graphql-shapes.ts). */
export interface PullRequestRead {
  repository: string;
  number: number;
  pr: Record<string, unknown>;
  commits: unknown[];
  reviews: unknown[];
  /** Undefined when a file was renamed or copied: REST lists where from. */
  files: ChangedFileList | undefined;
  retargetedAt: string[];
  /** Undefined when REST must read them (see headChecks). */
  checks: Check[] | undefined;
  /** The pull request's commits and its merge commit, for inferMergeMethod. */
  commitShapes: CommitShape[];
  mergeCommit: CommitShape | undefined;
  /** Files read at a commit in the same query (see ReadOptions). */
  prefetched: PrefetchedFiles | undefined;
}

export interface ReadOptions {
  /**
   * Files to read at a commit in the same query, e.g. soc2.yml and CODEOWNERS at the base commit
   * the webhook names: they are used only if that commit is the pull request's base.
   */
  filesAt?: { sha: string; paths: readonly string[] };
}

type Node = Record<string, unknown>;

/** The remaining pages of a connection whose first page is `first`. */
async function restOf(
  client: GraphQLClient,
  repository: string,
  number: number,
  connection: PagedConnection,
  first: unknown,
): Promise<Node[]> {
  const [owner, name] = repository.split("/");
  const nodes = nodesOf(first);
  let page = obj(obj(first).pageInfo);
  while (page.hasNextPage === true) {
    const data = await runQuery(
      client,
      `reading the ${connection} of pull request #${number} of ${repository}`,
      connectionPageQuery(connection),
      { owner, name, number, after: str(page.endCursor) },
    );
    const next = obj(obj(obj(obj(data).repository).pullRequest).page);
    nodes.push(...nodesOf(next));
    page = obj(next.pageInfo);
  }
  return nodes;
}

/** The parts of a PullRequest node read in full (more pages where a connection has them). */
export async function completePullRequest(
  client: GraphQLClient,
  repository: string,
  node: Node,
): Promise<Omit<PullRequestRead, "prefetched">> {
  const number = Number(node.number);
  const more = (connection: PagedConnection) =>
    restOf(client, repository, number, connection, node[connection]);
  const [commits, reviews, files, labels] = await Promise.all([
    more("commits"),
    more("reviews"),
    more("files"),
    more("labels"),
  ]);
  const restCommits = commits.map(restCommit);
  const raw = files.map(restFile);
  return {
    repository,
    number,
    pr: {
      ...restPullRequest(node, Number(obj(node.commits).totalCount ?? commits.length)),
      labels: labels.map((l) => ({ name: str(l.name) })),
    },
    commits: restCommits,
    reviews: reviews.map(restReview),
    files: files.some(movedFile) ? undefined : { raw, files: raw.map(changedFile) },
    retargetedAt: nodesOf(node.retargeted).map((e) => str(e.createdAt)),
    checks: headChecks(node),
    commitShapes: restCommits.map(commitShapeOf),
    mergeCommit: mergeCommitShape(node),
  };
}

/**
 * Reads a pull request with one GraphQL query (more only for connections past 100 items): what
 * collectFacts reads with ten REST requests, plus the merge commit and, optionally, files at the
 * base commit (the policy, CODEOWNERS). Throws GraphQLUnsupportedError when GitHub cannot run
 * the query (fall back to REST), GitHubApiError on other failures.
 */
export async function readPullRequest(
  client: GraphQLClient,
  repository: string,
  number: number,
  options: ReadOptions = {},
): Promise<PullRequestRead> {
  const [owner, name] = repository.split("/");
  const paths = [...new Set(options.filesAt?.paths ?? [])];
  const variables: Record<string, unknown> = { owner, name, number };
  paths.forEach((path, i) => (variables[`f${i}`] = `${options.filesAt!.sha}:${path}`));
  const data = obj(
    await runQuery(
      client,
      `reading pull request #${number} of ${repository}`,
      pullRequestQuery(paths.length),
      variables,
    ),
  );
  const repo = obj(data.repository);
  const read = await completePullRequest(client, repository, obj(repo.pullRequest));
  const at = options.filesAt;
  return {
    ...read,
    prefetched: at ? prefetchedFrom(repo, { repository, sha: at.sha, paths }) : undefined,
  };
}

/** Where factsFromRead gets team members and the last pusher: a backfill answers from caches. */
export interface FactSources {
  teams?: (teams: string[]) => Promise<PullRequestFacts["team_members"]>;
  pusher?: (
    headRepository: string | null,
    branch: string,
    sha: string,
  ) => Promise<PullRequestFacts["last_pusher"]>;
}

/**
 * The facts collectFacts produces, from a GraphQL read (readPullRequest or the backfill's pages).
 * REST still reads what GraphQL lacks or did not bring: who pushed the head (the activity API),
 * team members, files at a base other than the one prefetched, a renamed file's old path, and
 * checks past one page.
 */
export async function factsFromRead(
  client: GitHubClient,
  read: PullRequestRead,
  request: CollectRequest,
  sources: FactSources = {},
): Promise<PullRequestFacts> {
  const base = obj(read.pr.base);
  const head = obj(read.pr.head);
  const baseSha = str(base.sha);
  const [owner, repo] = request.repository.split("/");
  const codeowners = needsCodeOwners(request.policy)
    ? await readCodeOwners(client, read.repository, baseSha, prefetchedReader(read.prefetched))
    : null;
  const headRepository = obj(head.repo).full_name;
  const [files, checks, teamMembers, lastPusher] = await Promise.all([
    read.files ?? request.files ?? listChangedFiles(client, request.repository, request.number),
    request.mergeGroup || !read.checks
      ? collectChecks(client, owner!, repo!, request.mergeGroup?.head_sha ?? str(head.sha))
      : read.checks,
    (sources.teams ?? ((teams) => collectTeams(client, teams)))(
      teamsToCollect(request.policy, codeowners?.text ?? null),
    ),
    (sources.pusher ?? ((...head) => lastPusherOf(client, request, ...head)))(
      typeof headRepository === "string" ? headRepository : null,
      str(head.ref),
      str(head.sha),
    ),
  ]);
  return assembleFacts(request, {
    pr: read.pr,
    commits: read.commits,
    reviews: read.reviews,
    files,
    retargetedAt: read.retargetedAt,
    codeowners,
    teamMembers,
    lastPusher,
    checks,
  });
}

/**
 * collectFacts through GraphQL: the same facts, from one query and the last pusher's REST request
 * (more only for what factsFromRead lists).
 */
export async function collectFactsGraphQL(
  clients: { rest: GitHubClient; graphql: GraphQLClient },
  request: CollectRequest,
): Promise<PullRequestFacts> {
  const read = await readPullRequest(clients.graphql, request.repository, request.number);
  return factsFromRead(clients.rest, read, request);
}
