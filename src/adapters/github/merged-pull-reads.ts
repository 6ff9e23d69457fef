import { mergedPullsOfPage, type MergedPull } from "../../core/reconcile/candidates.js";
import { asObject as obj, textOf as str } from "../../core/json-read.js";
import type { ReconcileWindow } from "../../core/reconcile/window.js";
import { runQuery, type GraphQLClient } from "./graphql-client.js";
import { completePullRequest, type PullRequestRead } from "./graphql-facts.js";
import { MERGED_PULL_LIST, pullRequestsQuery } from "./graphql-queries.js";
import { nodesOf } from "./graphql-shapes.js";
import type { MergedPullRequests } from "./merged-pulls.js";
import { filesAtCommits } from "./prefetched-files.js";

/**
 * The merged pull requests of a window through GraphQL: 100 a query, most recently updated first
 * until one was last updated before the window (as the REST listing, whose rules it shares), with
 * each one's base commit and merge commit, which the REST listing would need a request each for.
 */
export function graphqlMergedPulls(client: GraphQLClient): MergedPullRequests {
  return async (repository, window: ReconcileWindow) => {
    const [owner, name] = repository.split("/");
    const found: MergedPull[] = [];
    let after: string | undefined;
    for (;;) {
      const data = await runQuery(
        client,
        `listing the merged pull requests of ${repository}`,
        MERGED_PULL_LIST,
        { owner, name, ...(after ? { after } : {}) },
      );
      const connection = obj(obj(obj(data).repository).pullRequests);
      const nodes = nodesOf(connection);
      const byNumber = new Map(nodes.map((n) => [Number(n.number), n]));
      // In REST's shape, so that the window's rules are the REST listing's own.
      const { items, done } = mergedPullsOfPage(
        nodes.map((n) => ({
          number: n.number,
          updated_at: n.updatedAt,
          merged_at: n.mergedAt,
          base: { ref: n.baseRefName },
        })),
        window,
      );
      for (const item of items) {
        const node = byNumber.get(item.number)!;
        const merge = node.mergeCommit ? obj(node.mergeCommit) : undefined;
        found.push({
          ...item,
          ...(typeof node.baseRefOid === "string" ? { baseSha: node.baseRefOid } : {}),
          ...(merge
            ? {
                mergeCommit: {
                  sha: str(merge.oid),
                  parents: nodesOf(merge.parents).map((p) => str(p.oid)),
                },
              }
            : {}),
        });
      }
      const page = obj(connection.pageInfo);
      if (done || page.hasNextPage !== true) break;
      after = str(page.endCursor);
    }
    return found.sort((a, b) => a.mergedAt.localeCompare(b.mergedAt) || a.number - b.number);
  };
}

/** Pull requests read in one query: at most this many, so that a query stays well under GitHub's 500,000 nodes (~2,500 each). */
export const READS_PER_QUERY = 50;

/**
 * Several merged pull requests read with one query (more only for connections past 100 items),
 * with files read at each one's base commit in the same query (the policy, CODEOWNERS): what
 * readPullRequest reads for one, for up to READS_PER_QUERY at once.
 */
export async function readPullRequests(
  client: GraphQLClient,
  repository: string,
  pulls: readonly { number: number; baseSha: string }[],
  paths: readonly string[],
): Promise<Map<number, PullRequestRead>> {
  const out = new Map<number, PullRequestRead>();
  if (pulls.length === 0) return out;
  if (pulls.length > READS_PER_QUERY)
    throw new RangeError(`readPullRequests reads at most ${READS_PER_QUERY} pull requests at once`);
  const [owner, name] = repository.split("/");
  const at = filesAtCommits(
    repository,
    pulls.map((p) => p.baseSha),
    paths,
  );
  const variables: Record<string, unknown> = { owner, name, ...at.variables };
  pulls.forEach((p, i) => (variables[`n${i}`] = p.number));
  const answer = obj(
    obj(
      await runQuery(
        client,
        `reading ${pulls.length} merged pull requests of ${repository}`,
        pullRequestsQuery(pulls.length, at.count),
        variables,
      ),
    ).repository,
  );
  const files = at.read(answer);
  for (const [i, pull] of pulls.entries()) {
    const node = answer[`p${i}`];
    if (!node || typeof node !== "object") continue;
    const read = await completePullRequest(client, repository, obj(node));
    out.set(pull.number, { ...read, prefetched: files.get(str(obj(read.pr.base).sha)) });
  }
  return out;
}
