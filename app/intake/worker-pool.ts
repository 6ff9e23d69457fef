import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Clock } from "../../src/adapters/clock.js";
import type { ClaimedDelivery, DeliveryQueue } from "./delivery.js";
import { classifyFailure } from "./failure.js";
import { firstLine } from "../handlers/record.js";

export interface WorkerPoolOptions {
  queue: DeliveryQueue;
  handle: (delivery: ClaimedDelivery) => Promise<string>;
  now: Clock;
  /** Deliveries handled at once by this process. */
  concurrency: number;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  /** Backoff: about base × 2^(attempt−1), at most max, with jitter; never sooner than Retry-After. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often an idle worker looks for work that another replica queued. */
  pollMs: number;
  /** How often a worker extends its lease while it handles a delivery. */
  heartbeatMs: number;
  log: (line: DeliveryLogLine) => void;
  random?: () => number;
}

/** The one log line a delivery attempt gets: never a payload, a token or a key. */
export interface DeliveryLogLine {
  level: "info" | "warn" | "error";
  deliveryId?: string;
  event?: string;
  attempt?: number;
  outcome: "handled" | "retry" | "dead-letter" | "queue-error";
  detail: string;
  retryInMs?: number;
}

/**
 * Workers that take deliveries from the durable queue and run the handlers: a failure is retried
 * with backoff (honouring GitHub's Retry-After) up to `maxAttempts`, then dead-lettered for an
 * operator (`soc2 app deliveries --failed`, `soc2 app replay`). `stop()` lets the deliveries in
 * hand finish (up to a deadline) and takes no new ones.
 */
export class WorkerPool {
  private running = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Workers between asking the queue for a delivery and settling it. */
  private busy = 0;
  private readonly workers: Promise<void>[] = [];
  private wakeUp: (() => void)[] = [];
  private readonly name = `${hostname()}/${process.pid}/${randomBytes(3).toString("hex")}`;
  private readonly random: () => number;

  constructor(private readonly options: WorkerPoolOptions) {
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < Math.max(1, this.options.concurrency); i++)
      this.workers.push(this.loop(`${this.name}#${i}`));
  }

  /** New work was queued: idle workers look at once instead of at their next poll. */
  wake(): void {
    for (const resolve of this.wakeUp.splice(0)) resolve();
  }

  /** Resolves when no delivery is in hand and none is due (scheduled retries may remain). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.busy === 0) {
        const due = await this.options.queue.nextDue();
        if ((!due || due.getTime() > this.options.now().getTime()) && this.busy === 0) return;
      }
      await Promise.race([...this.inFlight.values(), delay(20)]);
    }
  }

  /** Resolves when nothing is queued at all and no delivery is in hand (waits out retries). */
  async settled(): Promise<void> {
    for (;;) {
      if (this.busy === 0 && (await this.options.queue.nextDue()) === undefined && this.busy === 0)
        return;
      this.wake();
      await delay(20);
    }
  }

  /** Takes no new delivery; waits up to `drainMs` for the ones in hand. Answers how many were left. */
  async stop(drainMs: number): Promise<number> {
    this.running = false;
    this.wake();
    const drained = Promise.all(this.workers).then(() => true);
    const finished = await Promise.race([drained, delay(drainMs).then(() => false)]);
    return finished ? 0 : this.inFlight.size;
  }

  private async loop(worker: string): Promise<void> {
    let failures = 0;
    while (this.running) {
      let delivery: ClaimedDelivery | undefined;
      this.busy++;
      try {
        delivery = await this.options.queue.claim(worker, this.options.now());
        failures = 0;
      } catch (error) {
        this.busy--;
        failures++;
        this.options.log({
          level: "error",
          outcome: "queue-error",
          detail: `the delivery queue (${this.options.queue.kind}) failed: ${firstLine(error)}`,
        });
        await this.sleep(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
        continue;
      }
      if (!delivery) {
        this.busy--;
        await this.sleep(await this.idleWait());
        continue;
      }
      const work = this.handleOne(worker, delivery);
      this.inFlight.set(delivery.id, work);
      await work.finally(() => {
        this.inFlight.delete(delivery.id);
        this.busy--;
      });
    }
  }

  private async idleWait(): Promise<number> {
    const due = await this.options.queue.nextDue().catch(() => undefined);
    if (!due) return this.options.pollMs;
    return Math.max(5, Math.min(this.options.pollMs, due.getTime() - this.options.now().getTime()));
  }

  private async handleOne(worker: string, delivery: ClaimedDelivery): Promise<void> {
    const { queue, now } = this.options;
    const base = { deliveryId: delivery.id, event: delivery.event, attempt: delivery.attempt };
    const heartbeat = setInterval(() => {
      void queue.extend(delivery.id, worker, now()).catch(() => {});
    }, this.options.heartbeatMs);
    try {
      let outcome: string;
      try {
        outcome = await this.options.handle(delivery);
      } catch (error) {
        await this.failed(worker, delivery, error);
        return;
      }
      await queue.complete(delivery.id, worker, outcome, now());
      this.options.log({ level: "info", ...base, outcome: "handled", detail: outcome });
    } catch (error) {
      // The queue itself failed while settling: the delivery stays queued and is handled again.
      this.options.log({
        level: "error",
        ...base,
        outcome: "queue-error",
        detail: `could not settle the delivery in the queue: ${firstLine(error)}`,
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async failed(worker: string, delivery: ClaimedDelivery, error: unknown): Promise<void> {
    const { queue, now } = this.options;
    const base = { deliveryId: delivery.id, event: delivery.event, attempt: delivery.attempt };
    const failure = classifyFailure(error, now());
    const detail = firstLine(error);
    if (failure.permanent || delivery.attempt >= this.options.maxAttempts) {
      const reason = failure.permanent
        ? `${failure.reason}: ${detail}`
        : `gave up after ${delivery.attempt} attempts: ${detail}`;
      await queue.deadLetter(delivery.id, worker, reason, now());
      this.options.log({ level: "error", ...base, outcome: "dead-letter", detail: reason });
      return;
    }
    const exponential = Math.min(
      this.options.retryMaxMs,
      this.options.retryBaseMs * 2 ** (delivery.attempt - 1),
    );
    const waitMs = Math.max(Math.round(exponential * (0.5 + this.random())), failure.waitMs ?? 0);
    await queue.retry(delivery.id, worker, detail, new Date(now().getTime() + waitMs), now());
    this.options.log({ level: "warn", ...base, outcome: "retry", detail, retryInMs: waitMs });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeUp.push(done);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
