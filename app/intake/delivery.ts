/** A webhook delivery as GitHub sent it, persisted before the App answers. */
export interface Delivery {
  /** X-GitHub-Delivery: the same for a redelivery. */
  id: string;
  /** X-GitHub-Event, e.g. pull_request. */
  event: string;
  /** The raw body, exactly as signed (kept so that a replay sees the same bytes). */
  body: string;
  receivedAt: Date;
}

export type DeliveryState = "queued" | "done" | "dead";

/** Where a delivery stands: what `soc2 app deliveries` lists. Never the payload. */
export interface DeliveryStatus {
  id: string;
  event: string;
  receivedAt: string;
  state: DeliveryState;
  attempts: number;
  /** Not retried before this time (queued deliveries that failed). */
  notBefore: string;
  /** Why the last attempt failed, or why it was dead-lettered: one line, redacted. */
  lastError?: string;
  /** What handling it did, e.g. "recorded changes/acme/web/2026/12/pr-7" or "ignored: …". */
  outcome?: string;
  updatedAt: string;
}

/** A delivery a worker holds: it alone handles it until it completes, retries or dead-letters it. */
export interface ClaimedDelivery extends Delivery {
  /** 1 on the first attempt. */
  attempt: number;
}

export type EnqueueResult =
  /** New: stored durably, to be handled. */
  | "queued"
  /** Already known and not dead: nothing to do (GitHub redelivered, or a replica has it). */
  | "duplicate"
  /** It had been dead-lettered: a redelivery queues it again with fresh attempts. */
  | "requeued";

/**
 * The durable queue between the webhook endpoint and the handlers. `enqueue` resolves only once
 * the delivery is on stable storage, so that the 2xx GitHub receives is never a lie.
 */
export interface DeliveryQueue {
  readonly kind: string;
  enqueue(delivery: Delivery): Promise<EnqueueResult>;
  /** The oldest delivery due at `now` that no worker holds, or undefined. */
  claim(worker: string, now: Date): Promise<ClaimedDelivery | undefined>;
  /** Still working on it: keep other replicas off (the lease would otherwise expire). */
  extend(id: string, worker: string, now: Date): Promise<void>;
  complete(id: string, worker: string, outcome: string, now: Date): Promise<void>;
  /** Failed, try again at `notBefore`. */
  retry(id: string, worker: string, error: string, notBefore: Date, now: Date): Promise<void>;
  /** Failed for good (malformed, or out of attempts): kept, with its payload, for an operator. */
  deadLetter(id: string, worker: string, reason: string, now: Date): Promise<void>;
  /** Let go of a claim without counting the attempt (shutting down). */
  release(id: string, worker: string): Promise<void>;
  list(filter: { state?: DeliveryState; limit?: number }): Promise<DeliveryStatus[]>;
  /** Queues a delivery again with fresh attempts (an operator's replay of a dead one). */
  replay(id: string, now: Date): Promise<"requeued" | "unknown" | "not-dead">;
  /**
   * Whether the queue holds this delivery, in any state: the redelivery scan does not ask GitHub
   * again for a delivery it stored but whose 2xx GitHub never saw. A cheap lookup by id.
   */
  has(id: string): Promise<boolean>;
  /** When the next queued delivery is due (undefined: none queued). */
  nextDue(): Promise<Date | undefined>;
  close(): Promise<void>;
}

/** X-GitHub-Delivery is a GUID; anything else is refused so that an id is always a safe key. */
export const DELIVERY_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;
/** X-GitHub-Event: lower case and underscores. */
export const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;
