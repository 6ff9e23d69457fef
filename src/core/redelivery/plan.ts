/**
 * Which failed webhook deliveries to ask GitHub to redeliver (ADR 0004). Pure: the scan
 * (app/redelivery/scan.ts) pages through GitHub's list of delivery attempts, asks the durable
 * queue which guids it already holds, and passes plain data in. Time here is GitHub's own
 * (`delivered_at`), never the App's clock, so a skewed clock cannot make a scan skip anything.
 */

/** One attempt GitHub made to deliver a webhook, as `GET /app/hook/deliveries` lists it. */
export interface DeliveryAttempt {
  /** The attempt's id: what `POST /app/hook/deliveries/{id}/attempts` redelivers. Grows over time. */
  id: number;
  /** X-GitHub-Delivery: the same for every attempt of one event. */
  guid: string;
  /** ISO 8601, GitHub's clock. */
  deliveredAt: string;
  redelivery: boolean;
  /** The App's answer; 0 when GitHub could not connect or timed out. */
  statusCode: number;
  event: string;
  action: string | null;
}

/** A guid with no successful attempt: what a scan may redeliver. */
export interface Candidate {
  guid: string;
  /** Its newest attempt: the one to redeliver. */
  attemptId: number;
  /** When that newest attempt was made. */
  deliveredAt: string;
  /** When its oldest attempt seen was made (redeliveries go oldest first, as the events happened). */
  firstDeliveredAt: string;
  event: string;
  action: string | null;
  /** Failed redeliveries seen for it. */
  failedRedeliveries: number;
}

/** A redelivery asked for and not yet seen in GitHub's list (kept in the scan's small state). */
export interface PendingRequest {
  guid: string;
  /** The attempt it asked to redeliver: an attempt with a higher id is that redelivery. */
  attemptId: number;
  /** When it was asked for (the App's clock, ISO): a request GitHub never carried out expires. */
  at: string;
}

export interface PlanOptions {
  /** Guids the durable queue holds (in any state): GitHub's answer may have been lost, not the delivery. */
  inQueue: ReadonlySet<string>;
  /** Requests of earlier scans whose redelivery has not shown up yet, and not expired. */
  pending: readonly PendingRequest[];
  /** At most this many redeliveries per scan; the rest wait for the next one. */
  limit: number;
  /** A guid whose redelivery failed this many times is given up (the App refuses it: look at it). */
  maxRedeliveries: number;
}

export interface RedeliveryPlan {
  /** Ask for these, in this order (oldest event first). */
  redeliver: Candidate[];
  /** Over the limit: the next scan asks for them. */
  deferred: Candidate[];
  /** Asked for by an earlier scan, the redelivery not seen yet. */
  awaiting: Candidate[];
  /** Redelivered `maxRedeliveries` times and still refused: logged, not asked for again. */
  gaveUp: Candidate[];
  /** Failed at GitHub, but the queue holds them: nothing to do. */
  alreadyQueued: number;
}

const is2xx = (status: number) => status >= 200 && status < 300;
const time = (iso: string) => Date.parse(iso);

/** The oldest instant a scan must examine: the checkpoint minus a safety overlap (undefined: everything). */
export function scanCutoff(checkpoint: string | undefined, overlapMs: number): number | undefined {
  if (checkpoint === undefined || Number.isNaN(time(checkpoint))) return undefined;
  return time(checkpoint) - overlapMs;
}

/** GitHub lists newest first: once a page holds an attempt older than the cutoff, paging can stop. */
export function reachedCutoff(
  page: readonly DeliveryAttempt[],
  cutoff: number | undefined,
): boolean {
  return cutoff !== undefined && page.some((a) => time(a.deliveredAt) < cutoff);
}

/**
 * Groups the attempts examined by guid and keeps the guids that never got a 2xx and whose newest
 * attempt is not older than the cutoff (older ones were settled by an earlier scan).
 */
export function failedDeliveries(
  attempts: readonly DeliveryAttempt[],
  cutoff: number | undefined,
): Candidate[] {
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const attempt of attempts) {
    const group = byGuid.get(attempt.guid);
    if (group) group.push(attempt);
    else byGuid.set(attempt.guid, [attempt]);
  }
  const failed: Candidate[] = [];
  for (const [guid, group] of byGuid) {
    if (group.some((a) => is2xx(a.statusCode))) continue;
    const newest = group.reduce((a, b) => (b.id > a.id ? b : a));
    if (cutoff !== undefined && time(newest.deliveredAt) < cutoff) continue;
    const oldest = group.reduce((a, b) => (b.id < a.id ? b : a));
    failed.push({
      guid,
      attemptId: newest.id,
      deliveredAt: newest.deliveredAt,
      firstDeliveredAt: oldest.deliveredAt,
      event: newest.event,
      action: newest.action,
      failedRedeliveries: group.filter((a) => a.redelivery).length,
    });
  }
  return failed.sort(
    (a, b) => time(a.firstDeliveredAt) - time(b.firstDeliveredAt) || a.attemptId - b.attemptId,
  );
}

/** Decides, for the failed guids of a scan, which to redeliver now. */
export function planRedeliveries(
  failed: readonly Candidate[],
  options: PlanOptions,
): RedeliveryPlan {
  const plan: RedeliveryPlan = {
    redeliver: [],
    deferred: [],
    awaiting: [],
    gaveUp: [],
    alreadyQueued: 0,
  };
  const pending = new Map(options.pending.map((p) => [p.guid, p]));
  for (const candidate of failed) {
    if (options.inQueue.has(candidate.guid)) plan.alreadyQueued++;
    // No attempt newer than the one asked for: GitHub has not redelivered it yet.
    else if ((pending.get(candidate.guid)?.attemptId ?? -1) >= candidate.attemptId)
      plan.awaiting.push(candidate);
    else if (candidate.failedRedeliveries >= options.maxRedeliveries) plan.gaveUp.push(candidate);
    else if (plan.redeliver.length < options.limit) plan.redeliver.push(candidate);
    else plan.deferred.push(candidate);
  }
  return plan;
}

/**
 * Where the next scan may start. Only a scan that examined everything back to its cutoff moves
 * the checkpoint, to the newest attempt it saw, but never past a delivery still unresolved (not
 * yet asked for, its request failed, or its redelivery not seen yet), and never backwards.
 */
export function nextCheckpoint(input: {
  previous: string | undefined;
  /** Paging reached the cutoff or the end of GitHub's list. */
  complete: boolean;
  examined: readonly DeliveryAttempt[];
  unresolved: readonly Candidate[];
}): string | undefined {
  if (!input.complete) return input.previous;
  let next = input.examined.reduce<string | undefined>(
    (newest, a) =>
      newest === undefined || time(a.deliveredAt) > time(newest) ? a.deliveredAt : newest,
    undefined,
  );
  for (const u of input.unresolved)
    if (next === undefined || time(u.deliveredAt) < time(next)) next = u.deliveredAt;
  if (next === undefined) return input.previous;
  return input.previous !== undefined && time(input.previous) > time(next) ? input.previous : next;
}

/** Requests of earlier scans still worth waiting for: a redelivery GitHub never made is asked for again. */
export function unexpired(
  pending: readonly PendingRequest[],
  now: Date,
  expireMs: number,
): PendingRequest[] {
  return pending.filter((p) => now.getTime() - time(p.at) < expireMs);
}

/** What the next scan waits for: earlier requests still awaited, and this scan's. */
export function pendingAfterScan(
  active: readonly PendingRequest[],
  plan: Pick<RedeliveryPlan, "awaiting">,
  requested: readonly PendingRequest[],
): PendingRequest[] {
  const awaited = new Set(plan.awaiting.map((c) => c.guid));
  return [...active.filter((p) => awaited.has(p.guid)), ...requested];
}
