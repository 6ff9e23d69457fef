import pg from "pg";
import { describePgError } from "../intake/postgres-queue.js";
import { parseScanState, type ScanState, type ScanStateStore } from "./scan-state.js";

const SCHEMA = `
create table if not exists soc2_redelivery_scan (
  id smallint primary key check (id = 1),
  checkpoint timestamptz,
  scanned_at timestamptz,
  pending jsonb not null default '[]'
);
`;
// pg_advisory_lock keys: the queue serialises its DDL with 424242; this one is the scanner's.
const DDL_LOCK = 424242;
const SCAN_LOCK = 424243;

/**
 * The scan state of replicas sharing PostgreSQL: one row. Only the replica holding a session
 * advisory lock scans; a replica that dies mid-scan loses its connection, and the lock with it.
 */
export class PostgresScanState implements ScanStateStore {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(connectionString: string): Promise<PostgresScanState> {
    const pool = new pg.Pool({ connectionString, max: 2, connectionTimeoutMillis: 10_000 });
    pool.on("error", () => {});
    try {
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [DDL_LOCK]);
        await client.query(SCHEMA);
        await client.query("select pg_advisory_unlock($1)", [DDL_LOCK]);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw new Error(
        `cannot keep the redelivery scan's state in PostgreSQL: ${describePgError(error)}`,
        {
          cause: error,
        },
      );
    }
    return new PostgresScanState(pool);
  }

  async exclusive<T>(scan: () => Promise<T>): Promise<T | undefined> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        "select pg_try_advisory_lock($1) as locked",
        [SCAN_LOCK],
      );
      if (!rows[0]?.locked) return undefined;
      try {
        return await scan();
      } finally {
        await client.query("select pg_advisory_unlock($1)", [SCAN_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  async read(): Promise<ScanState> {
    const { rows } = await this.pool.query<{
      checkpoint: Date | null;
      scanned_at: Date | null;
      pending: unknown;
    }>("select checkpoint, scanned_at, pending from soc2_redelivery_scan where id = 1");
    const row = rows[0];
    return parseScanState(
      row && {
        checkpoint: row.checkpoint?.toISOString(),
        scannedAt: row.scanned_at?.toISOString(),
        pending: row.pending,
      },
    );
  }

  async write(state: ScanState): Promise<void> {
    await this.pool.query(
      `insert into soc2_redelivery_scan (id, checkpoint, scanned_at, pending) values (1, $1, $2, $3)
       on conflict (id) do update
         set checkpoint = excluded.checkpoint, scanned_at = excluded.scanned_at, pending = excluded.pending`,
      [state.checkpoint ?? null, state.scannedAt ?? null, JSON.stringify(state.pending)],
    );
  }

  private closing: Promise<void> | undefined;
  async close(): Promise<void> {
    await (this.closing ??= this.pool.end());
  }
}
