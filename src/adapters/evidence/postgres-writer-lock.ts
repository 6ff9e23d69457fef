import pg from "pg";
import type { ChainHead } from "../../core/evidence/chain-head.js";
import type { KnownTip, LockedWrite, WriterLock } from "./writer-lock.js";

export interface PostgresWriterLockOptions {
  /** postgres://user:password@host:port/database (the App's DATABASE_URL). */
  connectionString: string;
  /** Give up waiting for another replica's batch after this long; the deliveries are retried. Default 60 000 ms. */
  lockTimeoutMs?: number;
}

const SCHEMA = `
create table if not exists soc2_evidence_tips (
  key text primary key,
  commit_sha text not null,
  tree_sha text not null,
  head jsonb
);
`;

// Advisory locks share one key space per database: a prefix keeps ours apart from other users'.
const LOCK_PREFIX = "soc2-as-code evidence writer ";

/**
 * The writer lock of App replicas sharing one PostgreSQL database (DATABASE_URL): a session
 * advisory lock per evidence branch, held while a batch is committed, and a row per branch with
 * the tip the last writer left (commit, tree and chain head), so that the next replica writes its
 * batch without reading the head or the tree from GitHub. A replica that dies while it holds the
 * lock loses its connection, and the server releases the lock with it.
 */
export class PostgresWriterLock implements WriterLock {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly lockTimeoutMs: number,
  ) {}

  static async open(options: PostgresWriterLockOptions): Promise<PostgresWriterLock> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 4,
      connectionTimeoutMillis: 10_000,
      // Idle connections must not keep a stopping App alive.
      allowExitOnIdle: true,
    });
    pool.on("error", () => {}); // an idle connection the server drops must not crash the process
    try {
      await pool.query(SCHEMA);
    } catch (error) {
      // Two replicas creating the table at the same moment: one of them sees a duplicate.
      if (!/already exists|duplicate key/i.test(String(error))) {
        await pool.end().catch(() => {});
        throw error;
      }
    }
    return new PostgresWriterLock(pool, options.lockTimeoutMs ?? 60_000);
  }

  async hold<T>(key: string, write: (recorded: KnownTip | undefined) => Promise<LockedWrite<T>>): Promise<T> {
    const client = await this.pool.connect();
    let unlocked = false;
    try {
      // A replica that waits longer than this gives up, and its deliveries are tried again later.
      await client.query("select set_config('lock_timeout', $1, false)", [`${this.lockTimeoutMs}ms`]);
      await client.query("select pg_advisory_lock(hashtextextended($1, 0))", [LOCK_PREFIX + key]);
      try {
        const { rows } = await client.query<{ commit_sha: string; tree_sha: string; head: ChainHead | null }>(
          "select commit_sha, tree_sha, head from soc2_evidence_tips where key = $1",
          [key],
        );
        const row = rows[0];
        const recorded = row ? { commit: row.commit_sha, tree: row.tree_sha, head: row.head ?? undefined } : undefined;
        const { value, tip } = await write(recorded);
        if (tip)
          // The records are in GitHub already: when this fails, the next writer finds the branch
          // ahead of the row, and reads the tip from GitHub instead.
          await client
            .query(
              `insert into soc2_evidence_tips (key, commit_sha, tree_sha, head) values ($1, $2, $3, $4)
               on conflict (key) do update set commit_sha = $2, tree_sha = $3, head = $4`,
              [key, tip.commit, tip.tree, tip.head ? JSON.stringify(tip.head) : null],
            )
            .catch(() => {});
        return value;
      } finally {
        unlocked = await client
          .query("select pg_advisory_unlock(hashtextextended($1, 0))", [LOCK_PREFIX + key])
          .then(
            () => true,
            () => false,
          );
      }
    } finally {
      // A connection whose lock could not be released is closed: the server drops the lock with it.
      client.release(unlocked ? undefined : true);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
