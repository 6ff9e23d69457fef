import { nodeId } from "../../serialize/context.js";
import type { PullRequestState } from "../../state/pull-request.js";
import type { RepositoryState } from "../../state/repository.js";
import { connection, type ConnectionArgs } from "../connection.js";
import { GitHubGraphQLError } from "../errors.js";
import {
  actorSource,
  commitSource,
  pullRequestSource,
  repositorySource,
  type GraphQLContext,
  type SourceOf,
} from "../sources.js";
import { organizationByLogin } from "./actors.js";
import { pullRequestByNumber } from "./pull-requests.js";
import type { ResolverTable } from "./types.js";

type RepoSrc = SourceOf<"Repository">;

interface PullRequestsArgs extends ConnectionArgs {
  states?: string[] | null;
  baseRefName?: string | null;
  headRefName?: string | null;
  orderBy?: { field: "CREATED_AT" | "UPDATED_AT"; direction: "ASC" | "DESC" };
}

const stateOf = (pr: PullRequestState) => (pr.merged ? "MERGED" : pr.state.toUpperCase());

function pullRequests(repo: RepositoryState, args: PullRequestsArgs): PullRequestState[] {
  const pulls = [...repo.pulls.values()].filter(
    (pr) =>
      (!args.states || args.states.includes(stateOf(pr))) &&
      (args.baseRefName == null || pr.baseRef === args.baseRefName) &&
      (args.headRefName == null || pr.headRef === args.headRefName),
  );
  const field = args.orderBy?.field === "UPDATED_AT" ? "updatedAt" : "createdAt";
  const sign = args.orderBy?.direction === "DESC" ? -1 : 1;
  // Ties (the story clock can give two events one time) keep the number order, as GitHub's ids do.
  return pulls.sort(
    (a, b) => sign * (Date.parse(a[field]) - Date.parse(b[field]) || a.number - b.number),
  );
}

function blob(repo: RepositoryState, sha: string) {
  const bytes = repo.git.blobs.get(sha);
  if (!bytes) return null;
  const isBinary = bytes.includes(0);
  return {
    __typename: "Blob",
    oid: sha,
    byteSize: bytes.length,
    isBinary,
    isTruncated: false,
    text: isBinary ? null : bytes.toString("utf8"),
  };
}

/** A git object by oid or by a revision expression ("<rev>:<path>", or "<rev>" for its commit). */
function gitObject(repo: RepositoryState, args: { oid?: string; expression?: string }): unknown {
  if (args.oid !== undefined) {
    const commit = repo.git.commits.get(args.oid);
    return commit ? commitSource(repo, commit) : blob(repo, args.oid);
  }
  const expression = args.expression ?? "";
  const colon = expression.indexOf(":");
  const rev = colon < 0 ? expression : expression.slice(0, colon);
  const sha = repo.git.resolve(rev);
  const commit = sha ? repo.git.commits.get(sha) : undefined;
  if (!commit) return null;
  if (colon < 0) return commitSource(repo, commit);
  const entry = repo.git.lookup(commit.tree, expression.slice(colon + 1));
  if (entry?.type === "blob") return blob(repo, entry.sha);
  return entry ? { __typename: "Tree", oid: entry.sha } : null;
}

/** The root fields, repositories and organizations. */
export const repositoryResolvers: ResolverTable = {
  Query: {
    repository: (_s: unknown, args: { owner: string; name: string }, ctx: GraphQLContext) => {
      const repo = ctx.state.findRepository(args.owner, args.name);
      if (!repo)
        throw new GitHubGraphQLError(
          `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`,
          "NOT_FOUND",
        );
      return repositorySource(repo);
    },
    organization: (_s: unknown, args: { login: string }, ctx: GraphQLContext) =>
      organizationByLogin(ctx, args.login),
  },
  Repository: {
    id: (s: RepoSrc) => nodeId("Repository", s.repo.id),
    databaseId: (s: RepoSrc) => s.repo.id,
    name: (s: RepoSrc) => s.repo.name,
    nameWithOwner: (s: RepoSrc) => s.repo.fullName,
    owner: (s: RepoSrc) => actorSource(s.repo.owner),
    isPrivate: (s: RepoSrc) => s.repo.private,
    url: (s: RepoSrc, _a: unknown, ctx: GraphQLContext) => `${ctx.web}/${s.repo.fullName}`,
    pullRequest: (s: RepoSrc, args: { number: number }) => pullRequestByNumber(s, args.number),
    pullRequests: (s: RepoSrc, args: PullRequestsArgs) =>
      connection(pullRequests(s.repo, args).map(pullRequestSource), args, "pullRequests"),
    object: (s: RepoSrc, args: { oid?: string; expression?: string }) => gitObject(s.repo, args),
  },
};
