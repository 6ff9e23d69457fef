import { asList, asObject as obj } from "../../core/json-read.js";
import { runQuery, type GraphQLClient } from "./graphql-client.js";
import { fileFields } from "./graphql-queries.js";
import { prefetchedFrom, type PrefetchedFiles } from "./prefetched-files.js";

// Commits asked about per query: 100 commits × 100 pull requests each stays far below GitHub's
// node limit, and a merge push rarely brings more.
const BATCH = 100;

export interface MergedCommits {
  /** The commits asked about. */
  asked: Set<string>;
  /** Those GitHub associates with a pull request merged into the branch. */
  merged: Set<string>;
  prefetched: PrefetchedFiles | undefined;
}

function query(commits: number, files: number): string {
  const f = fileFields(files);
  const c = Array.from({ length: commits }, (_, i) => i);
  return `query PushedCommits($owner: String!, $name: String!${c.map((i) => `, $c${i}: GitObjectID!`).join("")}${f.variables}) {
  repository(owner: $owner, name: $name) {
    ${c.map((i) => `c${i}: object(oid: $c${i}) { ... on Commit { associatedPullRequests(first: 100) { nodes { mergedAt baseRefName } } } }`).join("\n    ")}
    ${f.fields}
  }
}`;
}

/**
 * Which pushed commits belong to a pull request merged into `branch`: what one
 * GET /repos/{o}/{r}/commits/{sha}/pulls per commit tells, in one GraphQL query per 100 commits.
 * The first query can read files at a revision too (the policy at the commit before the push).
 */
export async function mergedCommits(
  client: GraphQLClient,
  repository: string,
  branch: string,
  shas: readonly string[],
  filesAt?: { sha: string; paths: readonly string[] },
): Promise<MergedCommits> {
  const [owner, name] = repository.split("/");
  const out: MergedCommits = { asked: new Set(shas), merged: new Set(), prefetched: undefined };
  for (let start = 0; start === 0 || start < shas.length; start += BATCH) {
    const batch = shas.slice(start, start + BATCH);
    const paths = start === 0 ? (filesAt?.paths ?? []) : [];
    if (batch.length === 0 && paths.length === 0) break;
    const variables: Record<string, unknown> = { owner, name };
    batch.forEach((sha, i) => (variables[`c${i}`] = sha));
    paths.forEach((path, i) => (variables[`f${i}`] = `${filesAt!.sha}:${path}`));
    const answer = obj(
      obj(
        await runQuery(
          client,
          `asking which pull requests contain ${batch.length} pushed commits of ${repository}`,
          query(batch.length, paths.length),
          variables,
        ),
      ).repository,
    );
    batch.forEach((sha, i) => {
      const pulls = asList(obj(obj(answer[`c${i}`]).associatedPullRequests).nodes).map(obj);
      if (pulls.some((p) => typeof p.mergedAt === "string" && p.baseRefName === branch))
        out.merged.add(sha);
    });
    if (filesAt && start === 0)
      out.prefetched = prefetchedFrom(answer, { repository, sha: filesAt.sha, paths });
  }
  return out;
}
