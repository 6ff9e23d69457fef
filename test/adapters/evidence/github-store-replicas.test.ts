import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubEvidenceStore } from "../../../src/adapters/evidence/github-store.js";
import { PostgresWriterLock } from "../../../src/adapters/evidence/postgres-writer-lock.js";
import type { RetryEvent } from "../../../src/adapters/evidence/retry.js";
import { verifyChain } from "../../../src/core/evidence/index.js";
import { freshDatabase } from "../../helpers/database.js";
import { reviewEvent } from "../../core/evidence/samples.js";
import { chainInput, filesAt, startStand, type Stand } from "./github-helpers.js";

const NOW = new Date("2026-05-01T12:00:00Z");
let stand: Stand;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let locks: PostgresWriterLock[];
let retries: RetryEvent[];

/** One App replica: its own store and its own connections to the shared database. */
async function replica(lockTimeoutMs?: number): Promise<GitHubEvidenceStore> {
  const lock = await PostgresWriterLock.open({
    connectionString: database.url,
    ...(lockTimeoutMs ? { lockTimeoutMs } : {}),
  });
  locks.push(lock);
  return new GitHubEvidenceStore(stand.octokit, {
    repository: "acme/evidence",
    now: () => NOW,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5))),
    onRetry: (event) => retries.push(event),
    writerLock: lock,
  });
}

beforeEach(async () => {
  stand = await startStand({ now: () => NOW });
  database = await freshDatabase();
  locks = [];
  retries = [];
});

afterEach(async () => {
  await Promise.all(locks.map((l) => l.close()));
  await database.drop();
  await stand.gh.close();
  stand.checker.assertClean();
});

describe("GitHubEvidenceStore replicas sharing PostgreSQL", () => {
  it("stores every record exactly once from four replicas, the chain intact, with no lost race", async () => {
    const replicas = await Promise.all([1, 2, 3, 4].map(() => replica()));
    // 60 records; every tenth is also handled by a second replica (a redelivery, a lease lost).
    const ids = Array.from({ length: 60 }, (_, n) => n + 1);
    const work = ids.flatMap((n) => {
      const mine = replicas[n % 4]!.append(reviewEvent(n));
      return n % 10 === 0 ? [mine, replicas[(n + 1) % 4]!.append(reviewEvent(n))] : [mine];
    });
    const results = await Promise.all(work);
    expect(results.filter((r) => r.status === "written")).toHaveLength(60);
    expect(results.filter((r) => r.status === "exists")).toHaveLength(6);
    const records = [...filesAt(stand.evidence).keys()].filter((p) => p.endsWith(".yml"));
    expect(records).toHaveLength(60);
    const report = verifyChain(chainInput(stand.evidence));
    expect(report.findings).toEqual([]);
    expect(report.chained).toBe(60);
    // The lock kept the replicas apart: no ref update was refused, nobody retried.
    expect(stand.gh.requests.filter((r) => r.method === "PATCH" && r.status !== 200)).toEqual([]);
    expect(retries).toEqual([]);
    // Fewer commits than records: replicas batched what arrived while another wrote.
    expect(stand.evidence.log("main").length).toBeLessThan(60);
  });

  it("takes the tip from the table, and reads GitHub again when the branch moved without the lock", async () => {
    const [a, b] = [await replica(), await replica()];
    await a.append(reviewEvent(1));
    const from = stand.gh.requests.length;
    await b.append(reviewEvent(2)); // b has never read the branch: the table tells it the tip
    const reads = stand.gh.requests
      .slice(from)
      .filter((r) => r.method === "GET" && !r.path.includes("/contents/evidence/reviews/"));
    // Only the index files of the record: not the ref, the commit or chain-head.json.
    expect(reads.map((r) => r.path).filter((p) => /git\/ref|git\/commits|chain-head/.test(p))).toEqual([]);

    // Someone commits to the branch outside the stores: the table is behind now.
    stand.evidence.commit({ branch: "main", files: { "notes.md": "by hand\n" } });
    const result = await a.append(reviewEvent(3));
    expect(result.status).toBe("written");
    expect(retries.map((r) => r.reason)).toEqual(["conflict"]);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 3 });
    // And the next replica takes the new tip from the table again, without a conflict.
    await b.append(reviewEvent(4));
    expect(retries).toHaveLength(1);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 4 });
  });

  it("reads the branch when the table names a tip that is not in the repository", async () => {
    const a = await replica();
    await a.append(reviewEvent(1));
    // A row left by another repository of the same name (deleted and created again, say).
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    await db.query("update soc2_evidence_tips set commit_sha = $1, tree_sha = $1", ["0".repeat(40)]);
    await db.end();
    const b = await replica();
    expect((await b.append(reviewEvent(2))).status).toBe("written");
    expect(retries.map((r) => r.reason)).toEqual(["conflict"]);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 2 });
  });

  it("fails the batch when another writer holds the lock too long, and writes once it is free", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    // A replica stuck in the middle of a batch (or whose connection hangs): it holds the lock.
    await holder.query("select pg_advisory_lock(hashtextextended($1, 0))", [
      "soc2-as-code evidence writer acme/evidence@main:evidence",
    ]);
    const s = await replica(200);
    const outcomes = await Promise.allSettled([s.append(reviewEvent(1)), s.append(reviewEvent(2))]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    const errors = outcomes.map((o) => (o as PromiseRejectedResult).reason as Error & { path: string });
    expect(errors.map((e) => e.name)).toEqual(["EvidenceStoreError", "EvidenceStoreError"]);
    expect(errors.map((e) => e.path)).toEqual([1, 2].map((n) => `evidence/${reviewEvent(n).id}.yml`));
    expect(errors[0]!.message).toMatch(/lock timeout/i);
    expect(stand.evidence.log("main")).toHaveLength(1);
    // The holder dies: PostgreSQL drops its lock with its connection.
    await holder.end();
    expect((await s.append(reviewEvent(1))).status).toBe("written");
  });
});
