import { hostname } from "node:os";
import pg from "pg";
import type {
  ClaimedDelivery,
  Delivery,
  DeliveryQueue,
  DeliveryState,
  DeliveryStatus,
  EnqueueResult,
} from "./delivery.js";
import { DELIVERY_ID } from "./delivery.js";
import { processRuns } from "../../src/adapters/process-runs.js";

export interface PostgresQueueOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** A claim not extended for this long belongs to a replica that died: another one takes it. Default 60 s. */
  leaseMs?: number;
  /** Connections per replica. */
  poolSize?: number;
}

const SCHEMA = `
create table if not exists soc2_deliveries (
  id text primary key,
  event text not null,
  body text,
  received_at timestamptz not null,
  state text not null check (state in ('queued', 'done', 'dead')),
  attempts integer not null default 0,
  not_before timestamptz not null,
  lease_owner text,
  lease_until timestamptz,
  last_error text,
  outcome text,
  updated_at timestamptz not null
);
create index if not exists soc2_deliveries_due on soc2_deliveries (not_before, received_at)
  where state = 'queued';
`;

interface Row {
  id: string;
  event: string;
  body: string | null;
  received_at: Date;
  state: DeliveryState;
  attempts: number;
  not_before: Date;
  last_error: string | null;
  outcome: string | null;
  updated_at: Date;
}

/**
 * The delivery queue shared by several App replicas (ADR 0003): one PostgreSQL table. A worker
 * claims the oldest due delivery with `FOR UPDATE SKIP LOCKED`, so replicas never take the same
 * one, and holds it by a lease it extends while it works: when a replica dies (SIGKILL, a lost
 * machine), its lease runs out and another replica handles the delivery again.
 */
export class PostgresQueue implements DeliveryQueue {
  readonly kind = "postgresql";
  private constructor(
    private readonly pool: pg.Pool,
    private readonly leaseMs: number,
  ) {}

  static async open(options: PostgresQueueOptions): Promise<PostgresQueue> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 8,
      // A query must not wait forever on a lost server: the worker retries the delivery later.
      connectionTimeoutMillis: 10_000,
    });
    // An idle connection the server drops must not crash the process.
    pool.on("error", () => {});
    try {
      // Two replicas starting at once both run the DDL: serialise them.
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock(424242)");
        await client.query(SCHEMA);
        await client.query("select pg_advisory_unlock(424242)");
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw new Error(`cannot use the PostgreSQL queue: ${describePgError(error)}`, {
        cause: error,
      });
    }
    const queue = new PostgresQueue(pool, options.leaseMs ?? 60_000);
    await queue.releaseLeasesOfDeadProcesses();
    return queue;
  }

  /**
   * Claims left by a process of this machine that no longer runs (killed, crashed, restarted)
   * are released at once, instead of when their lease runs out. Worker names are
   * `<hostname>/<pid>/…` (worker-pool.ts); a claim under this very pid is a previous incarnation's,
   * since this process has not claimed anything yet.
   */
  private async releaseLeasesOfDeadProcesses(): Promise<void> {
    const { rows } = await this.pool.query<{ lease_owner: string }>(
      "select distinct lease_owner from soc2_deliveries where state = 'queued' and lease_owner like $1",
      [`${hostname()}/%`],
    );
    const dead = rows
      .map((r) => r.lease_owner)
      .filter((owner) => {
        const pid = Number(owner.split("/")[1]);
        return pid === process.pid || !processRuns(pid);
      });
    if (dead.length === 0) return;
    await this.pool.query(
      `update soc2_deliveries set lease_owner = null, lease_until = null, attempts = greatest(attempts - 1, 0)
        where state = 'queued' and lease_owner = any($1)`,
      [dead],
    );
  }

  async enqueue(delivery: Delivery): Promise<EnqueueResult> {
    if (!DELIVERY_ID.test(delivery.id)) throw new Error(`not a delivery id: ${delivery.id}`);
    // Inserted, or revived when it had been dead-lettered; otherwise a duplicate. The commit is
    // durable (synchronous_commit) before the App answers GitHub.
    const { rows } = await this.pool.query<{ inserted: boolean }>(
      `insert into soc2_deliveries (id, event, body, received_at, state, attempts, not_before, updated_at)
       values ($1, $2, $3, $4, 'queued', 0, $4, $4)
       on conflict (id) do update
         set state = 'queued', attempts = 0, body = excluded.body, not_before = excluded.not_before,
             lease_owner = null, lease_until = null, updated_at = excluded.updated_at,
             last_error = 'redelivered after: ' || coalesce(soc2_deliveries.last_error, 'unknown')
         where soc2_deliveries.state = 'dead'
       returning (xmax = 0) as inserted`,
      [delivery.id, delivery.event, delivery.body, delivery.receivedAt],
    );
    if (rows.length === 0) return "duplicate";
    return rows[0]!.inserted ? "queued" : "requeued";
  }

  async claim(worker: string, now: Date): Promise<ClaimedDelivery | undefined> {
    const { rows } = await this.pool.query<Row>(
      `with next as (
         select id from soc2_deliveries
          where state = 'queued' and not_before <= $1 and (lease_until is null or lease_until <= $1)
          order by not_before, received_at
          limit 1
          for update skip locked)
       update soc2_deliveries d
          set lease_owner = $2, lease_until = $3, attempts = d.attempts + 1, updated_at = $1
         from next where d.id = next.id
       returning d.*`,
      [now, worker, new Date(now.getTime() + this.leaseMs)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      event: row.event,
      body: row.body ?? "",
      receivedAt: row.received_at,
      attempt: row.attempts,
    };
  }

  async extend(id: string, worker: string, now: Date): Promise<void> {
    await this.pool.query(
      "update soc2_deliveries set lease_until = $3 where id = $1 and lease_owner = $2 and state = 'queued'",
      [id, worker, new Date(now.getTime() + this.leaseMs)],
    );
  }

  async complete(id: string, worker: string, outcome: string, now: Date): Promise<void> {
    // The payload is not kept once handled.
    await this.settle(
      id,
      worker,
      "state = 'done', outcome = $3, body = null, lease_owner = null, lease_until = null, updated_at = $4",
      [outcome, now],
    );
  }

  async retry(
    id: string,
    worker: string,
    error: string,
    notBefore: Date,
    now: Date,
  ): Promise<void> {
    await this.settle(
      id,
      worker,
      "last_error = $3, not_before = $4, lease_owner = null, lease_until = null, updated_at = $5",
      [error, notBefore, now],
    );
  }

  async deadLetter(id: string, worker: string, reason: string, now: Date): Promise<void> {
    await this.settle(
      id,
      worker,
      "state = 'dead', last_error = $3, lease_owner = null, lease_until = null, updated_at = $4",
      [reason, now],
    );
  }

  async release(id: string, worker: string): Promise<void> {
    await this.pool.query(
      `update soc2_deliveries set lease_owner = null, lease_until = null, attempts = greatest(attempts - 1, 0)
        where id = $1 and lease_owner = $2 and state = 'queued'`,
      [id, worker],
    );
  }

  async list(filter: { state?: DeliveryState; limit?: number }): Promise<DeliveryStatus[]> {
    const { rows } = await this.pool.query<Row>(
      `select id, event, received_at, state, attempts, not_before, last_error, outcome, updated_at
         from soc2_deliveries where ($1::text is null or state = $1)
        order by received_at, id limit $2`,
      [filter.state ?? null, filter.limit ?? 1_000_000],
    );
    return rows.map((row) => ({
      id: row.id,
      event: row.event,
      receivedAt: row.received_at.toISOString(),
      state: row.state,
      attempts: row.attempts,
      notBefore: row.not_before.toISOString(),
      ...(row.last_error !== null ? { lastError: row.last_error } : {}),
      ...(row.outcome !== null ? { outcome: row.outcome } : {}),
      updatedAt: row.updated_at.toISOString(),
    }));
  }

  async replay(id: string, now: Date): Promise<"requeued" | "unknown" | "not-dead"> {
    const { rows } = await this.pool.query<{ state: string }>(
      `update soc2_deliveries
          set state = case when state = 'dead' then 'queued' else state end,
              attempts = case when state = 'dead' then 0 else attempts end,
              not_before = case when state = 'dead' then $2 else not_before end,
              last_error = case when state = 'dead' then 'replayed after: ' || coalesce(last_error, 'unknown') else last_error end,
              updated_at = case when state = 'dead' then $2 else updated_at end
        where id = $1
        returning (select state from soc2_deliveries where id = $1) as state`,
      [id, now],
    );
    if (rows.length === 0) return "unknown";
    return rows[0]!.state === "dead" ? "requeued" : "not-dead";
  }

  async has(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("select 1 from soc2_deliveries where id = $1", [id]);
    return (rowCount ?? 0) > 0;
  }

  async nextDue(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ due: Date | null }>(
      "select min(greatest(not_before, coalesce(lease_until, not_before))) as due from soc2_deliveries where state = 'queued'",
    );
    return rows[0]?.due ?? undefined;
  }

  private closing: Promise<void> | undefined;
  async close(): Promise<void> {
    await (this.closing ??= this.pool.end());
  }

  /** Updates a delivery this worker holds; a lost lease means another replica took it over. */
  private async settle(id: string, worker: string, set: string, values: unknown[]): Promise<void> {
    const result = await this.pool.query(
      `update soc2_deliveries set ${set} where id = $1 and lease_owner = $2`,
      [id, worker, ...values],
    );
    if (result.rowCount === 0)
      throw new Error(
        `delivery ${id} is no longer held by ${worker}: its lease ran out and another replica took it`,
      );
  }
}

/** A PostgreSQL error in one line, without the connection string (it may hold a password). */
export function describePgError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = (e.message ?? String(error))
    .split("\n")[0]!
    .replace(/postgres(ql)?:\/\/[^\s]+/g, "postgres://…");
  return e.code ? `${message} (${e.code})` : message;
}
