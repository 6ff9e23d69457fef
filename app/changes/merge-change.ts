import type { GitHubClient } from "../../src/adapters/github/client.js";
import {
  CODEOWNERS_PATHS,
  collectFacts,
  listChangedFiles,
  type CollectRequest,
} from "../../src/adapters/github/collect-facts.js";
import type { GraphQLClient } from "../../src/adapters/github/graphql-client.js";
import {
  factsFromRead,
  readPullRequest,
  type FactSources,
  type PullRequestRead,
} from "../../src/adapters/github/graphql-facts.js";
import { prefetchedReader } from "../../src/adapters/github/prefetched-files.js";
import { evaluate } from "../../src/core/change-management/evaluate.js";
import { pullRequestTarget } from "../../src/core/change-management/event-target.js";
import { globMatcher } from "../../src/core/change-management/globs.js";
import { redactDeep } from "../../src/core/evidence/redact.js";
import { buildChangeRecord } from "../../src/core/evidence/records/change-record.js";
import type { RecordContext } from "../../src/core/evidence/records/envelope.js";
import {
  commitShapeOf,
  inferMergeMethod,
  type CommitShape,
  type MergeMethod,
} from "../../src/core/evidence/records/merge-method.js";
import type { Built } from "../../src/core/evidence/records/review-event.js";
import type { AppConfig } from "../config.js";
import { getOrUndefined, ownPolicyPath, policyAt } from "../github.js";
import { orRest, type GraphQLFallbackWarning } from "../graphql-fallback.js";
import { withRecordedPusher } from "./recorded-pusher.js";
import type { EvidenceStore } from "../../src/core/evidence/pending-record.js";

const COMMITS_ROUTE = "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits";

/** A merged pull request as the webhook's pull_request.closed carries it, or as REST returns it. */
export interface MergedPullRequest {
  action?: string;
  /** GET /repos/{o}/{r}/pulls/{n} has the same shape as the webhook's pull_request. */
  pull_request: {
    merged?: boolean | null;
    merge_commit_sha?: string | null;
    head: { sha: string };
  } & Record<string, unknown>;
  repository: { full_name: string } & Record<string, unknown>;
}

/** What recording a merge came to: a record to append, or why there is none (with log fields). */
export type MergeChange =
  | { built: Built; fallback?: { policy: string; reason: string } }
  | {
      skip: string;
      fields?: Record<string, unknown>;
      fallback?: { policy: string; reason: string };
    };

/** How a merge is read besides REST. */
export interface MergeReading {
  /** The evidence store: its synchronize records name the pusher the activity API may not. */
  store?: EvidenceStore;
  /** GitHub's GraphQL API: one query for the facts, the policy and CODEOWNERS (else REST). */
  graphql?: GraphQLClient;
  /** Told when GitHub cannot run the query and the merge is read with REST instead. */
  onGraphQLFallback?: GraphQLFallbackWarning;
  /**
   * The pull request already read through GraphQL with files at its base (the reconciler reads
   * many in one query): nothing is read again.
   */
  read?: PullRequestRead;
  /** Team members and who pushed heads, from caches a reconciliation keeps for all its merges. */
  sources?: FactSources;
}

/**
 * The change record of a merged pull request, computed exactly as the Action computes a verdict:
 * the policy from the base commit (loadPolicy), the facts (one GraphQL query with the policy and
 * CODEOWNERS at the base, and who pushed the head; collectFacts through REST without GraphQL or
 * when GitHub cannot run the query), then evaluate(facts, policy, { now }) with now =
 * context.recordedAt. The webhook handler and the reconciler both call it, so they record the same
 * merge the same way.
 */
export async function mergeChange(
  client: GitHubClient,
  config: AppConfig,
  payload: MergedPullRequest,
  context: RecordContext,
  reading: MergeReading = {},
): Promise<MergeChange> {
  const target = pullRequestTarget("pull_request", payload);
  if ("skip" in target) return { skip: target.skip };
  const repository = payload.repository.full_name;
  const read =
    reading.read ?? (await readMerged(reading, config, repository, target.number, target.baseSha));
  const files = read?.files ?? (await listChangedFiles(client, repository, target.number));
  const { policy, label, fallback } = await policyAt(
    client,
    config,
    repository,
    target.baseSha,
    files.files,
    prefetchedReader(read?.prefetched),
  );
  const fell = fallback ? { fallback: { policy: label, reason: fallback } } : {};
  if (!globMatcher(policy.branches)(target.baseRef))
    return {
      skip: "merged into a branch the policy does not protect: not a change to record",
      fields: { base: target.baseRef, policy: label },
      ...fell,
    };

  const now = context.recordedAt;
  const request: CollectRequest = {
    repository,
    number: target.number,
    event: target.event,
    lastPusher: target.lastPusher,
    policy,
    now,
    files,
  };
  const commits: unknown[] = [];
  const collected = read
    ? await factsFromRead(client, read, request, reading.sources)
    : await collectFacts(tap(client, COMMITS_ROUTE, commits), request);
  const raw = reading.store
    ? await withRecordedPusher(reading.store, policy, collected)
    : collected;
  // Redact before evaluating, so the stored facts reproduce the verdict (and its facts_digest).
  const facts = redactDeep(raw);
  const verdict = evaluate(facts, policy, { now });
  const shapes = read?.commitShapes ?? commits.map(commitShapeOf);
  const mergeSha = payload.pull_request.merge_commit_sha ?? undefined;
  const headSha = payload.pull_request.head.sha;
  const mergeMethod = read
    ? inferMergeMethod({ mergeSha, headSha, mergeCommit: read.mergeCommit, commits: shapes })
    : await mergeMethodOf(client, repository, mergeSha, headSha, shapes);
  const messages = Object.fromEntries(shapes.map((c) => [c.sha, c.message]));
  const built = buildChangeRecord(
    { payload, facts, verdict, ticket: policy.ticket, mergeMethod, messages },
    context, // dated like the verdict
  );
  return { built, ...fell };
}

/**
 * The merged pull request through GraphQL, with the policy and CODEOWNERS at the base commit in
 * the same query; undefined without GraphQL or when GitHub cannot run the query.
 */
async function readMerged(
  reading: MergeReading,
  config: AppConfig,
  repository: string,
  number: number,
  baseSha: string,
): Promise<PullRequestRead | undefined> {
  const { graphql } = reading;
  if (!graphql) return undefined;
  const policyPath = ownPolicyPath(config, repository);
  const paths = [...(policyPath ? [policyPath] : []), ...CODEOWNERS_PATHS];
  return orRest(reading.onGraphQLFallback, () =>
    readPullRequest(graphql, repository, number, { filesAt: { sha: baseSha, paths } }),
  );
}

/** The client, keeping what one paginated route returned (the commits, with their messages). */
function tap(client: GitHubClient, route: string, sink: unknown[]): GitHubClient {
  return {
    request: (r, parameters) => client.request(r, parameters),
    paginate: async (r, parameters) => {
      const items = await client.paginate(r, parameters);
      if (r === route) sink.push(...items);
      return items;
    },
  };
}

async function mergeMethodOf(
  client: GitHubClient,
  repository: string,
  mergeSha: string | undefined,
  headSha: string,
  commits: CommitShape[],
): Promise<MergeMethod> {
  if (!mergeSha || mergeSha === headSha)
    return inferMergeMethod({ mergeSha, headSha, mergeCommit: undefined, commits });
  const [owner, repo] = repository.split("/");
  const data = await getOrUndefined(client, "GET /repos/{owner}/{repo}/commits/{ref}", {
    owner,
    repo,
    ref: mergeSha,
  });
  return inferMergeMethod({
    mergeSha,
    headSha,
    mergeCommit: data === undefined ? undefined : commitShapeOf(data),
    commits,
  });
}
