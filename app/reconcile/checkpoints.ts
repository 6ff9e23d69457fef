import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { QueueConfig } from "../queue-config.js";
import { writeDurably } from "../intake/durable-file.js";

/**
 * Where each repository's reconciliation has reached: the end of the last window reconciled
 * without a failure. Kept in the delivery queue's storage, so it lasts as long as the queue does.
 */
export interface Checkpoints {
  /** Runs `fn` if no other replica is reconciling; undefined when one is. */
  exclusively<T>(fn: () => Promise<T>): Promise<T | undefined>;
  get(repository: string): Promise<string | undefined>;
  set(repository: string, until: string): Promise<void>;
  close(): Promise<void>;
}

const FILE = "reconcile-checkpoints.json";

/**
 * Checkpoints in a small file beside the journal (DELIVERY_QUEUE_DIR), written durably (fsync,
 * rename). The journal serves one process, so no other replica can be reconciling.
 */
export async function journalCheckpoints(dir: string, file = FILE): Promise<Checkpoints> {
  const folder = resolve(dir);
  const path = join(folder, file);
  await mkdir(folder, { recursive: true });
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "{}";
    throw error;
  });
  let saved: Record<string, string>;
  try {
    saved = (JSON.parse(text) as { repositories?: Record<string, string> }).repositories ?? {};
  } catch {
    throw new Error(
      `${path} is not JSON: move it away (reconciliation then starts again from RECONCILE_SINCE)`,
    );
  }
  const repositories = new Map(Object.entries(saved));
  return {
    exclusively: (fn) => fn(),
    get: async (repository) => repositories.get(repository.toLowerCase()),
    async set(repository, until) {
      repositories.set(repository.toLowerCase(), until);
      await writeDurably(
        path,
        JSON.stringify({ version: 1, repositories: Object.fromEntries(repositories) }, null, 2) +
          "\n",
      );
    },
    close: async () => {},
  };
}

// Any constant both replicas agree on; distinct from the queue's DDL lock.
const RECONCILE_LOCK = 424243;
const SCHEMA = `create table if not exists soc2_reconcile_checkpoints (
  repository text primary key,
  reconciled_until timestamptz not null
)`;

/** What `create table if not exists` answers the replica that loses a race to create it. */
const CONCURRENT_CREATE = new Set(["23505", "42P07", "42710"]);

/**
 * Checkpoints in a PostgreSQL table (DATABASE_URL). Replicas take turns through a session
 * advisory lock (pg_try_advisory_lock): a replica that does not get it skips this round.
 */
export async function postgresCheckpoints(
  url: string,
  lock = RECONCILE_LOCK,
): Promise<Checkpoints> {
  const pg = (await import("pg")).default;
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
  pool.on("error", () => {});
  try {
    await pool.query(SCHEMA).catch((error: { code?: string }) => {
      // Two replicas starting at once both create the table: PostgreSQL answers the slower one
      // with a unique violation on its type (23505), "relation already exists" (42P07) or, when
      // the race is on the table's row type, "type already exists" (42710). It exists.
      if (!CONCURRENT_CREATE.has(error.code ?? "")) throw error;
    });
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return {
    async exclusively(fn) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ locked: boolean }>(
          "select pg_try_advisory_lock($1) as locked",
          [lock],
        );
        if (!rows[0]?.locked) return undefined;
        try {
          return await fn();
        } finally {
          await client.query("select pg_advisory_unlock($1)", [lock]);
        }
      } finally {
        client.release();
      }
    },
    async get(repository) {
      const { rows } = await pool.query<{ until: Date }>(
        "select reconciled_until as until from soc2_reconcile_checkpoints where repository = $1",
        [repository.toLowerCase()],
      );
      return rows[0]?.until.toISOString();
    },
    async set(repository, until) {
      await pool.query(
        `insert into soc2_reconcile_checkpoints (repository, reconciled_until) values ($1, $2)
         on conflict (repository) do update set reconciled_until = excluded.reconciled_until`,
        [repository.toLowerCase(), until],
      );
    },
    close: () => pool.end(),
  };
}

/**
 * The checkpoints beside the queue the settings name. Another user of them (the monitoring
 * schedule) names its own file and lock, so that it neither overwrites the reconciler's file nor
 * waits for its turn; in PostgreSQL its keys share the table and never name a repository.
 */
export function openCheckpoints(
  queue: QueueConfig,
  own: { file: string; lock: number } = { file: FILE, lock: RECONCILE_LOCK },
): Promise<Checkpoints> {
  return queue.target.type === "postgresql"
    ? postgresCheckpoints(queue.target.url, own.lock)
    : journalCheckpoints(queue.target.dir, own.file);
}
