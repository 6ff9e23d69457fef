import type { GitHubClient } from "../../src/adapters/github/client.js";
import { globMatcher } from "../../src/core/change-management/globs.js";
import type { RecordContext } from "../../src/core/evidence/records/envelope.js";
import {
  buildDirectPushRecord,
  commitsOfCompare,
  commitsOfPushPayload,
  needsAccounts,
  pushCommitsComplete,
  pushedBranch,
  withCommitAccounts,
  type PushedCommit,
} from "../../src/core/evidence/records/direct-push.js";
import type { Built } from "../../src/core/evidence/records/review-event.js";
import type { AppConfig, EvidenceTarget } from "../config.js";
import { getOrUndefined, ownPolicyPath, policyAt } from "../github.js";
import type { GraphQLClient } from "../../src/adapters/github/graphql-client.js";
import { mergedCommits, type MergedCommits } from "../../src/adapters/github/merged-commits.js";
import { prefetchedReader } from "../../src/adapters/github/prefetched-files.js";
import { orRest, type GraphQLFallbackWarning } from "../graphql-fallback.js";

const ZERO = /^0+$/;
// Commits checked at once: a push rarely brings more than a few, a merge of a long branch hundreds.
const PARALLEL = 8;

/** A push as the webhook carries it, or as the reconciler rebuilds it from repository activity. */
export interface PushEvent {
  ref: string;
  before: string;
  after: string;
  forced?: boolean;
  deleted?: boolean;
  commits: {
    id: string;
    added?: string[] | null;
    modified?: string[] | null;
    removed?: string[] | null;
  }[];
  repository: { full_name: string; default_branch: string };
}

/** What the push check needs besides the push: the settings and how long to wait for GitHub. */
export interface PushCheck {
  client: GitHubClient;
  config: AppConfig;
  /** Waits before asking again which pull request a commit belongs to (GitHub's index lags). */
  pullLookupDelaysMs: readonly number[];
  sleep: (ms: number) => Promise<void>;
  /** GitHub's GraphQL API: one query for every pushed commit's pull requests and the policy. */
  graphql?: GraphQLClient | undefined;
  /** Told when GitHub cannot run the query and the push is read with REST instead. */
  onGraphQLFallback?: GraphQLFallbackWarning;
}

/**
 * A push to a protected branch → one direct-push change record when commits reached the branch
 * without a merged pull request into it, or the push was forced, or it deleted the branch. Tags,
 * other branches and the App's own evidence commits are skipped. Protected branches are the
 * policy's (read at the commit the branch was at before the push, so a push cannot unprotect its
 * own branch), or PROTECTED_BRANCHES where the repository has no policy. The webhook handler and
 * the reconciler both call it.
 */
export async function pushChange(
  check: PushCheck,
  payload: PushEvent,
  context: RecordContext,
  /** The push's commits when already known (the reconciler read them from the compare API). */
  known?: readonly PushedCommit[],
): Promise<{ skip: string } | { built: Built }> {
  const { client, config } = check;
  const branch = pushedBranch(payload);
  if (!branch) return { skip: `${payload.ref} is not a branch` };
  const repository = payload.repository.full_name;
  if (isOwnEvidenceCommit(config.evidence, repository, branch, payload))
    return { skip: "the push only adds evidence records to the evidence repository" };

  const at = ZERO.test(payload.before) ? payload.repository.default_branch : payload.before;
  let commits = known ? [...known] : commitsOfPushPayload(payload);
  // With GraphQL, one query asks about every pushed commit and reads the policy at `at`.
  const { graphql } = check;
  const policyPath = ownPolicyPath(config, repository);
  const first = graphql
    ? await orRest(check.onGraphQLFallback, () =>
        mergedCommits(
          graphql,
          repository,
          branch,
          commits.map((c) => c.sha),
          policyPath ? { sha: at, paths: [policyPath] } : undefined,
        ),
      )
    : undefined;
  const { policy, label } = await policyAt(
    client,
    config,
    repository,
    at,
    [],
    prefetchedReader(first?.prefetched),
  );
  if (!globMatcher(policy.branches)(branch))
    return {
      skip: `${branch} is not a protected branch (${label}: ${policy.branches.join(", ")})`,
    };

  if (!known && !pushCommitsComplete(payload) && !ZERO.test(payload.before) && !payload.deleted)
    commits = await comparedCommits(client, repository, payload.before, payload.after);
  const lookup =
    graphql && first
      ? graphqlLookup(graphql, repository, branch, first)
      : restLookup(client, repository, branch);
  const direct = await withoutMergedPullRequest(check, lookup, commits);
  const attributed = await withAccounts(client, repository, direct);
  return { built: buildDirectPushRecord({ payload, commits: attributed }, context) };
}

/** The commits GitHub lists between two commits (the push payload stops at 20). */
export async function comparedCommits(
  client: GitHubClient,
  repository: string,
  before: string,
  after: string,
): Promise<PushedCommit[]> {
  return commitsOfCompare(await compare(client, repository, before, after));
}

/** GET …/compare/{before}...{after}, or undefined when GitHub does not know one of them. */
export async function compare(
  client: GitHubClient,
  repository: string,
  before: string,
  after: string,
): Promise<unknown> {
  const [owner, repo] = repository.split("/");
  return getOrUndefined(client, "GET /repos/{owner}/{repo}/compare/{basehead}", {
    owner,
    repo,
    basehead: `${before}...${after}`,
    per_page: 100,
  });
}

/**
 * The push payload names the account of a commit's linked email only by login: GitHub's commit
 * answer gives the account itself (with its id), so the record names the person, not "(no GitHub
 * account)". Only the direct commits whose payload named a login are asked about; where GitHub does
 * not answer, the login stays as a label.
 */
async function withAccounts(
  client: GitHubClient,
  repository: string,
  commits: readonly PushedCommit[],
): Promise<PushedCommit[]> {
  const [owner, repo] = repository.split("/");
  const out: PushedCommit[] = [];
  for (let i = 0; i < commits.length; i += PARALLEL) {
    const batch = commits.slice(i, i + PARALLEL);
    out.push(
      ...(await Promise.all(
        batch.map(async (c) =>
          needsAccounts(c)
            ? withCommitAccounts(
                c,
                await getOrUndefined(client, "GET /repos/{owner}/{repo}/commits/{ref}", {
                  owner,
                  repo,
                  ref: c.sha,
                }),
              )
            : c,
        ),
      )),
    );
  }
  return out;
}

/** Which of some commits belong to a pull request merged into the branch. */
type Lookup = (shas: string[]) => Promise<Set<string>>;

/**
 * The commits no merged pull request into the branch contains. GitHub associates a merged pull
 * request's commits with it a few seconds after the merge, so unmatched commits are asked about
 * again after each of the configured delays before they count as direct pushes.
 */
async function withoutMergedPullRequest(
  check: PushCheck,
  lookup: Lookup,
  commits: readonly PushedCommit[],
): Promise<PushedCommit[]> {
  let remaining = [...commits];
  for (let attempt = 0; remaining.length > 0; attempt++) {
    const merged = await lookup(remaining.map((c) => c.sha));
    remaining = remaining.filter((c) => !merged.has(c.sha));
    const delay = check.pullLookupDelaysMs[attempt];
    if (remaining.length === 0 || delay === undefined) break;
    await check.sleep(delay);
  }
  return remaining;
}

/**
 * GraphQL: the first answer (asked with the policy) serves the first attempt; a retry, or
 * commits it did not cover (the compare API's), are asked again, 100 commits a query.
 */
function graphqlLookup(
  graphql: GraphQLClient,
  repository: string,
  branch: string,
  first: MergedCommits,
): Lookup {
  let known: MergedCommits | undefined = first;
  return async (shas) => {
    const answered = known;
    known = undefined;
    const merged = new Set(shas.filter((sha) => answered?.merged.has(sha)));
    const ask = shas.filter((sha) => !answered?.asked.has(sha));
    if (ask.length > 0)
      for (const sha of (await mergedCommits(graphql, repository, branch, ask)).merged)
        merged.add(sha);
    return merged;
  };
}

/** REST: GET /repos/{o}/{r}/commits/{sha}/pulls for each commit, a few at a time. */
function restLookup(client: GitHubClient, repository: string, branch: string): Lookup {
  return async (shas) => {
    const merged = new Set<string>();
    for (let i = 0; i < shas.length; i += PARALLEL) {
      const batch = shas.slice(i, i + PARALLEL);
      const found = await Promise.all(
        batch.map((sha) => inMergedPullRequest(client, repository, branch, sha)),
      );
      batch.forEach((sha, j) => found[j] && merged.add(sha));
    }
    return merged;
  };
}

async function inMergedPullRequest(
  client: GitHubClient,
  repository: string,
  branch: string,
  sha: string,
): Promise<boolean> {
  const [owner, repo] = repository.split("/");
  const pulls = await getOrUndefined(
    client,
    "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
    {
      owner,
      repo,
      commit_sha: sha,
      per_page: 100,
    },
  );
  return (Array.isArray(pulls) ? pulls : []).some((p: unknown) => {
    const pr = p as { merged_at?: unknown; base?: { ref?: unknown } };
    return typeof pr.merged_at === "string" && pr.base?.ref === branch;
  });
}

/**
 * The App's own writes: a push to the evidence branch of the evidence repository that adds or
 * updates only files under the evidence folder. Recording them would record every record again, forever.
 */
function isOwnEvidenceCommit(
  target: EvidenceTarget,
  repository: string,
  branch: string,
  payload: PushEvent,
): boolean {
  const evidenceRepository =
    target.type === "github" ? target.repository : githubRepositoryOf(target.remote ?? "");
  if (evidenceRepository?.toLowerCase() !== repository.toLowerCase() || branch !== target.branch)
    return false;
  // Records are only ever added (and an index updated): a removal is not the App's doing.
  const files = payload.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? [])]);
  return (
    payload.commits.length > 0 &&
    !payload.forced &&
    payload.commits.every((c) => (c.removed ?? []).length === 0) &&
    files.every((f) => f.startsWith(`${target.path}/`))
  );
}

/** owner/name of a GitHub remote URL (https or ssh), if it is one. */
export function githubRepositoryOf(remote: string): string | undefined {
  const m = /[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(remote);
  return m ? `${m[1]}/${m[2]}` : undefined;
}
