import { branchActivity } from "../../src/adapters/github/branch-activity.js";
import { attempt, type GitHubClient } from "../../src/adapters/github/client.js";
import type { RecordLookup } from "../../src/adapters/evidence/record-lookup.js";
import type { EvidenceStore } from "../../src/core/evidence/pending-record.js";
import { commitsOfCompare } from "../../src/core/evidence/records/direct-push.js";
import type { RecordContext } from "../../src/core/evidence/records/envelope.js";
import type { Built } from "../../src/core/evidence/records/review-event.js";
import type { BranchActivity, MergedPull } from "../../src/core/reconcile/candidates.js";
import { reconcileDeliveryId } from "../../src/core/reconcile/delivery-id.js";
import { expectedRecordId } from "../../src/core/reconcile/expected-id.js";
import { pushEventOf, type RepositoryInfo } from "../../src/core/reconcile/push-event.js";
import type { ReconcileWindow } from "../../src/core/reconcile/window.js";
import { CODEOWNERS_PATHS } from "../../src/adapters/github/collect-facts.js";
import type { GraphQLClient } from "../../src/adapters/github/graphql-client.js";
import type { FactSources, PullRequestRead } from "../../src/adapters/github/graphql-facts.js";
import { activityPusher } from "../../src/adapters/github/activity-pusher.js";
import { activityReader } from "../../src/adapters/github/repository-activity.js";
import { readPullRequests, READS_PER_QUERY } from "../../src/adapters/github/merged-pull-reads.js";
import { memoizedReads } from "../../src/adapters/github/memoized-reads.js";
import { mergePushes } from "../../src/core/reconcile/merge-push.js";
import { ownPolicyPath } from "../github.js";
import { orRest, type GraphQLFallbackWarning } from "../graphql-fallback.js";
import { mergeChange } from "../changes/merge-change.js";
import { mergedPullsSource } from "./merged-pulls-source.js";
import { compare, pushChange } from "../changes/push-change.js";
import type { AppConfig } from "../config.js";

/** What a reconciliation needs: where to read, what the policy settings are, where to write. */
export interface Reconciler {
  /** Reads the repository (an installation's client in the App, GITHUB_TOKEN's in the CLI). */
  client: GitHubClient;
  config: AppConfig;
  store: EvidenceStore;
  lookup: RecordLookup;
  /** One instant for the whole run: facts are collected and verdicts computed at it. */
  now: Date;
  sourceName: string;
  /**
   * Waits before asking again which pull request a pushed commit belongs to, for pushes of the
   * last few minutes only: GitHub links a merge's commits to it within seconds, so an older push
   * is asked about once.
   */
  pullLookupDelaysMs: readonly number[];
  sleep: (ms: number) => Promise<void>;
  /** Find and compute, but write nothing: what is missing is reported as `missing`. */
  dryRun: boolean;
  /**
   * GitHub's GraphQL API: the merges missing from the evidence are read READS_PER_QUERY at a time
   * with the policy and CODEOWNERS at their bases, and pushes are checked with one query each.
   * Without it (GITHUB_API=rest), each merge is read with REST as the webhook path would.
   */
  graphql?: GraphQLClient | undefined;
  /** Told when GitHub cannot run a query and REST is used instead. */
  onGraphQLFallback?: GraphQLFallbackWarning;
}

/** One change GitHub shows in the window, and what the reconciliation did about it. */
export interface ReconciledChange {
  change: "pull-request" | "push" | "force-push" | "branch-deletion";
  /** The record's id (where it is, or would be, in the evidence). */
  id: string;
  /** #12, or branch@sha12. */
  ref: string;
  /** When it happened (merged, pushed). */
  at: string;
  /** Who merged or pushed, when GitHub says. */
  by?: string;
  /**
   * recorded: this run wrote its record; exists: it was already recorded; missing: not recorded
   * (a dry run); not-a-change: nothing to record (an unprotected branch, commits that all belong
   * to merged pull requests, …, as the webhook path would decide).
   */
  status: "recorded" | "exists" | "missing" | "not-a-change";
  reason?: string;
}

// A push this recent may still be waiting for GitHub to link its commits to their pull request.
const RECENT_MS = 5 * 60_000;

type Candidate = { pull: MergedPull; at: string } | { activity: BranchActivity; at: string };

/**
 * Asks GitHub what happened on a repository's branches in the window (merged pull requests,
 * pushes, force pushes, branch deletions) and records what the evidence lacks, through the same
 * functions as the webhook handlers, marked as recovered by reconciliation. Record ids are the
 * webhook path's, so a change already recorded answers `exists` and a second run writes nothing.
 * A failure stops the run: what it recorded before is whole (each record is one commit).
 */
export async function reconcileRepository(
  r: Reconciler,
  repository: string,
  window: ReconcileWindow,
): Promise<ReconciledChange[]> {
  // Reads that GitHub answers the same way all run long are asked once (a central policy
  // repository's default branch and policy file, team members), whichever path reads them.
  const run: Reconciler = { ...r, client: memoizedReads(r.client) };
  const info = await repositoryInfo(run.client, repository);
  const pulls = await mergedPullsSource(
    run.client,
    r.graphql,
    r.onGraphQLFallback,
  )(repository, window);
  // One read of the activity's pages serves the listing of pushes and the pushers of heads.
  const activityOf = activityReader(run.client);
  const activity = await branchActivity(activityOf(repository), window);
  const candidates: Candidate[] = [
    ...pulls.map((pull) => ({ pull, at: pull.mergedAt })),
    ...activity.map((a) => ({ activity: a, at: a.timestamp })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const context: RunContext = {
    info,
    reads: new Map(),
    // Team members are read once through run.client's memory; heads' pushers from shared pages.
    sources: { pusher: activityPusher(run.client, activityOf) },
    mergePush: mergePushes(pulls),
  };
  const out: ReconciledChange[] = [];
  for (const [i, candidate] of candidates.entries()) {
    if (
      "pull" in candidate &&
      !context.reads.has(candidate.pull.number) &&
      !(await run.lookup.has(expectedRecordId(repository, candidate)))
    )
      await readAhead(run, context, candidates.slice(i));
    out.push(await reconcileOne(run, context, candidate));
  }
  return out;
}

/** What one repository's run keeps: its facts, the merges read ahead, the caches. */
interface RunContext {
  info: RepositoryInfo & Record<string, unknown>;
  /** Merges read ahead through GraphQL, by number, until their record is built. */
  reads: Map<number, PullRequestRead>;
  sources: FactSources;
  mergePush: (activity: BranchActivity) => MergedPull | undefined;
}

/**
 * Reads, with one GraphQL query, the next merges (from this one on, in order) that the evidence
 * lacks, up to READS_PER_QUERY, with the policy and CODEOWNERS at their bases: a backfill costs a
 * query per 50 missing merges, and a merge already recorded costs nothing.
 */
async function readAhead(
  r: Reconciler,
  context: RunContext,
  rest: readonly Candidate[],
): Promise<void> {
  const { graphql } = r;
  if (!graphql) return;
  const repository = context.info.full_name;
  const batch: { number: number; baseSha: string }[] = [];
  for (const candidate of rest) {
    if (batch.length >= READS_PER_QUERY) break;
    if (!("pull" in candidate) || !candidate.pull.baseSha) continue;
    if (context.reads.has(candidate.pull.number)) continue;
    if (await r.lookup.has(expectedRecordId(repository, candidate))) continue;
    batch.push({ number: candidate.pull.number, baseSha: candidate.pull.baseSha });
  }
  if (batch.length === 0) return;
  const policyPath = ownPolicyPath(r.config, repository);
  const reads = await orRest(r.onGraphQLFallback, () =>
    readPullRequests(graphql, repository, batch, [
      ...(policyPath ? [policyPath] : []),
      ...CODEOWNERS_PATHS,
    ]),
  );
  for (const [number, read] of reads ?? []) context.reads.set(number, read);
}

async function reconcileOne(
  r: Reconciler,
  run: RunContext,
  candidate: Candidate,
): Promise<ReconciledChange> {
  const { info } = run;
  const repository = info.full_name;
  const described = describe(candidate);
  const expected = expectedRecordId(repository, candidate);
  const read = "pull" in candidate ? run.reads.get(candidate.pull.number) : undefined;
  if ("pull" in candidate) run.reads.delete(candidate.pull.number);
  if (await r.lookup.has(expected)) return { ...described, id: expected, status: "exists" };
  const merged = "activity" in candidate ? run.mergePush(candidate.activity) : undefined;
  if (merged)
    return {
      ...described,
      id: expected,
      status: "not-a-change",
      reason: `the push of pull request #${merged.number}'s merge: its commits are the pull request's`,
    };
  const context: RecordContext = {
    deliveryId: reconcileDeliveryId(candidate),
    event: "pull" in candidate ? "pull_request" : "push",
    recordedAt: r.now,
    controls: r.config.controls,
    sourceName: r.sourceName,
    recoveredBy: "reconciliation",
  };
  const outcome =
    "pull" in candidate
      ? await mergeOutcome(r, run, candidate.pull, context, read)
      : await pushOutcome(r, info, candidate.activity, context);
  const built: Built = "built" in outcome ? outcome.built : outcome;
  if ("skip" in built)
    return { ...described, id: expected, status: "not-a-change", reason: built.skip };
  const id = built.record.id;
  // The month of a push the webhook dated by its own clock can differ at a month's edge.
  if (id !== expected && (await r.lookup.has(id))) return { ...described, id, status: "exists" };
  if (r.dryRun) return { ...described, id, status: "missing" };
  const result = await r.store.append(built.record);
  return { ...described, id, status: result.status === "written" ? "recorded" : "exists" };
}

async function mergeOutcome(
  r: Reconciler,
  run: RunContext,
  pull: MergedPull,
  context: RecordContext,
  read: PullRequestRead | undefined,
) {
  const { info } = run;
  const [owner, repo] = info.full_name.split("/");
  // A merge read ahead is its own payload (REST's shape); otherwise GitHub's REST answer is.
  const data = read
    ? read.pr
    : (
        await attempt(`reading pull request #${pull.number} of ${info.full_name}`, () =>
          r.client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
            owner,
            repo,
            pull_number: pull.number,
          }),
        )
      ).data;
  const pullRequest = data as Parameters<typeof mergeChange>[2]["pull_request"];
  return mergeChange(
    r.client,
    r.config,
    { action: "closed", pull_request: pullRequest, repository: info },
    context,
    {
      store: r.store,
      sources: run.sources,
      ...(read ? { read } : {}),
      ...(r.graphql ? { graphql: r.graphql } : {}),
      ...(r.onGraphQLFallback ? { onGraphQLFallback: r.onGraphQLFallback } : {}),
    },
  );
}

async function pushOutcome(
  r: Reconciler,
  info: RepositoryInfo & Record<string, unknown>,
  activity: BranchActivity,
  context: RecordContext,
) {
  const compared =
    activity.type === "branch_deletion"
      ? undefined
      : await compare(r.client, info.full_name, activity.before, activity.after);
  const recent = r.now.getTime() - Date.parse(activity.timestamp) < RECENT_MS;
  return pushChange(
    { ...r, pullLookupDelaysMs: recent ? r.pullLookupDelaysMs : [] },
    pushEventOf(activity, info, compared),
    context,
    commitsOfCompare(compared),
  );
}

async function repositoryInfo(
  client: GitHubClient,
  repository: string,
): Promise<RepositoryInfo & Record<string, unknown>> {
  const [owner, repo] = repository.split("/");
  const { data } = await attempt(`reading repository ${repository}`, () =>
    client.request("GET /repos/{owner}/{repo}", { owner, repo }),
  );
  const d = data as Partial<RepositoryInfo>;
  return {
    id: typeof d.id === "number" ? d.id : 0,
    full_name: typeof d.full_name === "string" ? d.full_name : repository,
    default_branch: typeof d.default_branch === "string" ? d.default_branch : "main",
  };
}

function describe(c: Candidate): Omit<ReconciledChange, "id" | "status"> {
  if ("pull" in c) return { change: "pull-request", ref: `#${c.pull.number}`, at: c.at };
  const a = c.activity;
  return {
    change:
      a.type === "force_push"
        ? "force-push"
        : a.type === "branch_deletion"
          ? "branch-deletion"
          : "push",
    ref: `${a.branch}@${(a.type === "branch_deletion" ? a.before : a.after).slice(0, 12)}`,
    at: c.at,
    ...(a.actor ? { by: a.actor.login } : {}),
  };
}
