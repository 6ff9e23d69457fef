import { branchActivity } from "../../src/adapters/github/branch-activity.js";
import { attempt, type GitHubClient } from "../../src/adapters/github/client.js";
import type { MergedPullRequests } from "../../src/adapters/github/merged-pulls.js";
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
import { mergeChange } from "../changes/merge-change.js";
import { compare, pushChange } from "../changes/push-change.js";
import type { AppConfig } from "../config.js";

/** What a reconciliation needs: where to read, what the policy settings are, where to write. */
export interface Reconciler {
  /** Reads the repository (an installation's client in the App, GITHUB_TOKEN's in the CLI). */
  client: GitHubClient;
  config: AppConfig;
  store: EvidenceStore;
  lookup: RecordLookup;
  mergedPulls: MergedPullRequests;
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
  const info = await repositoryInfo(r.client, repository);
  const pulls = await r.mergedPulls(repository, window);
  const activity = await branchActivity(r.client, repository, window);
  const candidates: Candidate[] = [
    ...pulls.map((pull) => ({ pull, at: pull.mergedAt })),
    ...activity.map((a) => ({ activity: a, at: a.timestamp })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const out: ReconciledChange[] = [];
  for (const candidate of candidates) out.push(await reconcileOne(r, info, candidate));
  return out;
}

async function reconcileOne(
  r: Reconciler,
  info: RepositoryInfo & Record<string, unknown>,
  candidate: Candidate,
): Promise<ReconciledChange> {
  const repository = info.full_name;
  const described = describe(candidate);
  const expected = expectedRecordId(repository, candidate);
  if (await r.lookup.has(expected)) return { ...described, id: expected, status: "exists" };
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
      ? await mergeOutcome(r, info, candidate.pull, context)
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
  info: RepositoryInfo & Record<string, unknown>,
  pull: MergedPull,
  context: RecordContext,
) {
  const [owner, repo] = info.full_name.split("/");
  const { data } = await attempt(`reading pull request #${pull.number} of ${info.full_name}`, () =>
    r.client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner,
      repo,
      pull_number: pull.number,
    }),
  );
  const pullRequest = data as Parameters<typeof mergeChange>[2]["pull_request"];
  return mergeChange(
    r.client,
    r.config,
    { action: "closed", pull_request: pullRequest, repository: info },
    context,
    { store: r.store },
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
