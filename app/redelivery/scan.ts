import type { Clock } from "../../src/adapters/clock.js";
import { nextPageParameter } from "../../src/adapters/github/next-link.js";
import { classifyGitHubFailure } from "../../src/adapters/evidence/github-retry.js";
import { statusOf, type GitHubClient } from "../../src/adapters/github/client.js";
import {
  failedDeliveries,
  nextCheckpoint,
  pendingAfterScan,
  planRedeliveries,
  reachedCutoff,
  scanCutoff,
  unexpired,
  type Candidate,
  type DeliveryAttempt,
  type PendingRequest,
} from "../../src/core/redelivery/plan.js";
import type { DeliveryQueue } from "../intake/delivery.js";
import type { ScanStateStore } from "./scan-state.js";

export interface ScanOptions {
  /** The App's own Octokit (its JWT: Probot's `app.auth()` with no installation id). */
  github: Pick<GitHubClient, "request">;
  queue: Pick<DeliveryQueue, "has">;
  state: ScanStateStore;
  now: Clock;
  /** At most this many redeliveries per scan. */
  maxPerScan: number;
  /** Skip the scan when any replica scanned less than this long ago (default 0: never skip). */
  minGapMs?: number;
  /** Deliveries per page (GitHub: at most 100). */
  perPage?: number;
  /** How far before the checkpoint a scan looks again (attempts still in flight are listed late). */
  overlapMs?: number;
  /** A redelivery asked for but never listed is asked for again after this long. */
  pendingExpiryMs?: number;
  /** Redeliveries of one delivery the App refused before the scan gives it up. */
  maxRedeliveries?: number;
  log: (line: RedeliveryLogLine) => void;
}

/** One line per redelivery asked for, and one per scan: guids and counts, never a payload or token. */
export interface RedeliveryLogLine {
  level: "info" | "warn" | "error";
  outcome: "redelivery" | "redelivery-scan";
  deliveryId?: string;
  event?: string;
  detail: string;
}

export interface ScanSummary {
  /** `busy`: another replica is scanning; `recent`: one scanned less than minGapMs ago. */
  outcome: "scanned" | "busy" | "recent";
  examined: number;
  failed: number;
  redelivered: string[];
  alreadyQueued: number;
  awaiting: number;
  deferred: number;
  gaveUp: string[];
  /** Paging reached the checkpoint (or the end of GitHub's list). */
  complete: boolean;
  checkpoint?: string;
  /** GitHub asked to wait this long (Retry-After, a rate-limit reset) before the next scan. */
  waitMs?: number;
  /** Why the scan stopped early, in one line. */
  error?: string;
}

const DEFAULTS = {
  perPage: 100,
  overlapMs: 5 * 60_000,
  pendingExpiryMs: 30 * 60_000,
  maxRedeliveries: 5,
};

const EMPTY = {
  examined: 0,
  failed: 0,
  redelivered: [],
  alreadyQueued: 0,
  awaiting: 0,
  deferred: 0,
  gaveUp: [],
  complete: false,
};

/**
 * One redelivery scan (ADR 0004): pages through GitHub's deliveries newest first back to the
 * checkpoint, asks GitHub to redeliver each delivery that never got a 2xx and that the queue does
 * not hold, and moves the checkpoint over what it fully dealt with. A failure of GitHub's API
 * stops the scan where it is; the next scan starts over from the same checkpoint.
 */
export async function scanForFailedDeliveries(options: ScanOptions): Promise<ScanSummary> {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const result = await options.state.exclusive(async () => {
    const state = await options.state.read();
    const now = options.now();
    if (
      settings.minGapMs &&
      state.scannedAt &&
      now.getTime() - Date.parse(state.scannedAt) < settings.minGapMs
    )
      return { ...EMPTY, outcome: "recent" as const };

    const cutoff = scanCutoff(state.checkpoint, settings.overlapMs);
    const listed = await listBackTo(options.github, cutoff, settings.perPage, now);
    const failed = failedDeliveries(listed.attempts, cutoff);
    const inQueue = new Set<string>();
    for (const candidate of failed)
      if (await options.queue.has(candidate.guid)) inQueue.add(candidate.guid);
    const active = unexpired(state.pending, now, settings.pendingExpiryMs);
    const plan = planRedeliveries(failed, {
      inQueue,
      pending: active,
      limit: options.maxPerScan,
      maxRedeliveries: settings.maxRedeliveries,
    });

    // A listing that failed on a later page still found deliveries worth asking for, unless GitHub
    // asked us to slow down.
    const asked = await askForRedeliveries(
      options,
      plan.redeliver,
      now,
      listed.stop?.waitMs !== undefined ? listed.stop : undefined,
    );
    for (const candidate of plan.gaveUp) logGivenUp(options, candidate);
    for (const { candidate, reason } of asked.gone) logGivenUp(options, candidate, reason);
    const { requested, notAsked, stop } = asked;

    const checkpoint = nextCheckpoint({
      previous: state.checkpoint,
      complete: listed.complete,
      examined: listed.attempts,
      unresolved: [...plan.deferred, ...plan.awaiting, ...notAsked],
    });
    await options.state.write({
      ...(checkpoint ? { checkpoint } : {}),
      scannedAt: now.toISOString(),
      pending: pendingAfterScan(active, plan, requested),
    });
    const halted = stop ?? listed.stop;
    return {
      outcome: "scanned" as const,
      examined: listed.attempts.length,
      failed: failed.length,
      redelivered: requested.map((r) => r.guid),
      alreadyQueued: plan.alreadyQueued,
      awaiting: plan.awaiting.length,
      deferred: plan.deferred.length + notAsked.length,
      gaveUp: [...plan.gaveUp, ...asked.gone.map((g) => g.candidate)].map((c) => c.guid),
      complete: listed.complete,
      ...(checkpoint ? { checkpoint } : {}),
      ...(halted ? { error: halted.error } : {}),
      ...(halted?.waitMs !== undefined ? { waitMs: halted.waitMs } : {}),
    };
  });
  const summary: ScanSummary = result ?? { ...EMPTY, outcome: "busy" };
  if (summary.outcome === "scanned") options.log(summaryLine(summary));
  return summary;
}

interface Stop {
  error: string;
  waitMs?: number;
}

/** Pages of `GET /app/hook/deliveries`, newest first, until one reaches past the cutoff. */
async function listBackTo(
  github: Pick<GitHubClient, "request">,
  cutoff: number | undefined,
  perPage: number,
  now: Date,
): Promise<{ attempts: DeliveryAttempt[]; complete: boolean; stop?: Stop }> {
  const attempts: DeliveryAttempt[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    let response: { data: unknown; headers: Record<string, unknown> };
    try {
      response = await github.request("GET /app/hook/deliveries", {
        per_page: perPage,
        ...(cursor ? { cursor } : {}),
      });
    } catch (error) {
      return { attempts, complete: false, stop: stopOf("listing deliveries", error, now) };
    }
    const page = (Array.isArray(response.data) ? response.data : []).map(attemptOf);
    attempts.push(...page);
    cursor = nextPageParameter(response.headers.link, "cursor");
    if (reachedCutoff(page, cutoff) || !cursor || page.length === 0)
      return { attempts, complete: true };
  }
  return { attempts, complete: false };
}

/** Asks for each redelivery in turn, until GitHub fails in a way worth waiting out. */
async function askForRedeliveries(
  options: ScanOptions,
  candidates: readonly Candidate[],
  now: Date,
  stopped: Stop | undefined,
): Promise<{
  requested: PendingRequest[];
  notAsked: Candidate[];
  gone: { candidate: Candidate; reason: string }[];
  stop?: Stop;
}> {
  const requested: PendingRequest[] = [];
  const notAsked: Candidate[] = [];
  const gone: { candidate: Candidate; reason: string }[] = [];
  let stop = stopped;
  for (const candidate of candidates) {
    if (stop) {
      notAsked.push(candidate);
      continue;
    }
    const answer = await redeliver(options, candidate, now);
    if (answer === "requested")
      requested.push({
        guid: candidate.guid,
        attemptId: candidate.attemptId,
        at: now.toISOString(),
      });
    else if ("gone" in answer) gone.push({ candidate, reason: answer.gone });
    else {
      notAsked.push(candidate);
      stop = answer;
    }
  }
  return { requested, notAsked, gone, ...(stop ? { stop } : {}) };
}

function logGivenUp(options: ScanOptions, candidate: Candidate, refused?: string): void {
  options.log({
    level: "error",
    outcome: "redelivery",
    deliveryId: candidate.guid,
    event: candidate.event,
    detail: refused
      ? `given up: GitHub will not redeliver it (${refused}); look for it in the App's Recent deliveries, and let soc2 reconcile record what it missed`
      : `given up: ${candidate.failedRedeliveries} redeliveries failed too; see why in the App's log or Recent deliveries (a signature that never matches: check WEBHOOK_SECRET), then redeliver it there`,
  });
}

/** Asks GitHub to redeliver the newest attempt of a delivery. */
async function redeliver(
  options: ScanOptions,
  candidate: Candidate,
  now: Date,
): Promise<"requested" | { gone: string } | Stop> {
  const what = `${candidate.event}${candidate.action ? `.${candidate.action}` : ""}`;
  try {
    await options.github.request("POST /app/hook/deliveries/{delivery_id}/attempts", {
      delivery_id: candidate.attemptId,
    });
  } catch (error) {
    const stop = stopOf("asking for a redelivery", error, now);
    // GitHub no longer has it, or will not redeliver it: given up, and said so.
    if ([400, 404, 410, 422].includes(statusOf(error) ?? 0)) return { gone: stop.error };
    options.log({
      level: "warn",
      outcome: "redelivery",
      deliveryId: candidate.guid,
      event: candidate.event,
      detail: `${stop.error}; the next scan asks again`,
    });
    return stop;
  }
  options.log({
    level: "info",
    outcome: "redelivery",
    deliveryId: candidate.guid,
    event: candidate.event,
    detail: `asked GitHub to redeliver ${what} (attempt ${candidate.attemptId} of ${candidate.deliveredAt} failed, and it is not in the queue)`,
  });
  return "requested";
}

function stopOf(doing: string, error: unknown, now: Date): Stop {
  const retry = classifyGitHubFailure(error, now);
  const status = statusOf(error);
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  return {
    error: `${doing} failed${status ? ` (HTTP ${status})` : ""}: ${message}`,
    ...(retry?.waitMs !== undefined ? { waitMs: retry.waitMs } : {}),
  };
}

function summaryLine(s: ScanSummary): RedeliveryLogLine {
  const counts = `examined ${s.examined} attempts: ${s.failed} deliveries failed, ${s.redelivered.length} redeliveries asked for, ${s.alreadyQueued} already queued, ${s.awaiting} awaited, ${s.deferred} left for the next scan, ${s.gaveUp.length} given up`;
  return {
    level: s.error ? "warn" : "info",
    outcome: "redelivery-scan",
    detail: s.error
      ? `${counts}; stopped early: ${s.error}`
      : `${counts}; checkpoint ${s.checkpoint ?? "none"}`,
  };
}

function attemptOf(item: unknown): DeliveryAttempt {
  const d = item as Record<string, unknown>;
  return {
    id: Number(d.id),
    guid: String(d.guid),
    deliveredAt: String(d.delivered_at),
    redelivery: d.redelivery === true,
    statusCode: typeof d.status_code === "number" ? d.status_code : 0,
    event: String(d.event),
    action: typeof d.action === "string" ? d.action : null,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
