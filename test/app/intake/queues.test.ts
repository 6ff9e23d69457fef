import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Delivery, DeliveryQueue } from "../../../app/intake/delivery.js";
import { JournalQueue } from "../../../app/intake/journal-queue.js";
import { PostgresQueue } from "../../../app/intake/postgres-queue.js";
import { steppingClock, TEST_NOW } from "../../helpers/clock.js";
import { freshDatabase } from "../../helpers/database.js";
import { tempDir } from "../../helpers/temp-dir.js";

// The same contract, on the embedded journal and on a real PostgreSQL server.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = (seconds: number) => new Date(TEST_NOW.getTime() + seconds * 1000);
const delivery = (id: string, seconds = 0): Delivery => ({
  id,
  event: "push",
  body: JSON.stringify({ id }),
  receivedAt: at(seconds),
});

type Open = (options?: { leaseMs?: number }) => Promise<DeliveryQueue>;

const journal = async (): Promise<Open> => {
  const dir = join(await tempDir("soc2-journal-"), "deliveries");
  return async () => {
    const queue = await JournalQueue.open({ dir, now: steppingClock(TEST_NOW.toISOString()) });
    cleanups.push(() => queue.close());
    return queue;
  };
};
const postgres = async (): Promise<Open> => {
  const db = await freshDatabase();
  cleanups.push(db.drop);
  return async (options = {}) => {
    const queue = await PostgresQueue.open({ connectionString: db.url, ...options });
    cleanups.unshift(() => queue.close());
    return queue;
  };
};

describe.each([
  ["the journal", journal],
  ["PostgreSQL", postgres],
])("the delivery queue on %s", (_name, make) => {
  it("stores, hands out the oldest due delivery once, and forgets the payload when done", async () => {
    const queue = await (await make())();
    expect(await queue.enqueue(delivery("b", 2))).toBe("queued");
    expect(await queue.enqueue(delivery("a", 1))).toBe("queued");
    expect(await queue.enqueue(delivery("a", 1))).toBe("duplicate");
    expect(await queue.claim("w1", at(0))).toBeUndefined(); // not due yet
    const first = await queue.claim("w1", at(5));
    expect(first).toMatchObject({ id: "a", event: "push", body: '{"id":"a"}', attempt: 1 });
    const second = await queue.claim("w2", at(5));
    expect(second?.id).toBe("b");
    expect(await queue.claim("w3", at(5))).toBeUndefined();
    await queue.complete("a", "w1", "recorded x", at(6));
    expect(await queue.enqueue(delivery("a", 7))).toBe("duplicate");
    await queue.retry("b", "w2", "HTTP 502", at(60), at(6));
    expect(await queue.claim("w1", at(30))).toBeUndefined();
    expect((await queue.claim("w1", at(61)))?.attempt).toBe(2);
    await queue.deadLetter("b", "w1", "gave up after 2 attempts: HTTP 502", at(62));
    const listed = await queue.list({});
    expect(listed.map((d) => [d.id, d.state, d.attempts, d.outcome ?? d.lastError])).toEqual([
      ["a", "done", 1, "recorded x"],
      ["b", "dead", 2, "gave up after 2 attempts: HTTP 502"],
    ]);
    expect(JSON.stringify(listed)).not.toContain('{"id":"a"}');
    expect(await queue.nextDue()).toBeUndefined();
  });

  it("replays a dead delivery, and requeues one GitHub redelivers after it died", async () => {
    const queue = await (await make())();
    await queue.enqueue(delivery("x"));
    await queue.enqueue(delivery("y"));
    for (const id of ["x", "y"]) {
      const claimed = await queue.claim("w", at(1));
      expect(claimed?.id).toBe(id);
      await queue.deadLetter(id, "w", "malformed: push payload: after is missing", at(2));
    }
    expect(await queue.replay("x", at(3))).toBe("requeued");
    expect(await queue.replay("x", at(3))).toBe("not-dead");
    expect(await queue.replay("nope", at(3))).toBe("unknown");
    expect(await queue.enqueue(delivery("y", 4))).toBe("requeued");
    const again = [await queue.claim("w", at(5)), await queue.claim("w", at(5))];
    expect(again.map((d) => [d?.id, d?.attempt]).sort()).toEqual([
      ["x", 1],
      ["y", 1],
    ]);
    expect((await queue.list({ state: "queued" })).map((d) => d.id)).toEqual(["x", "y"]);
  });

  it("keeps what it acknowledged across a restart", async () => {
    const open = await make();
    const before = await open();
    await before.enqueue(delivery("kept"));
    const claimed = await before.claim("w", at(1));
    expect(claimed?.id).toBe("kept");
    await before.release("kept", "w");
    await before.close();
    const after = await open();
    expect((await after.claim("w2", at(2)))?.attempt).toBe(1);
  });

  it("says whether it holds a delivery, in any state (the redelivery scan asks)", async () => {
    const queue = await (await make())();
    expect(await queue.has("a")).toBe(false);
    await queue.enqueue(delivery("a"));
    await queue.enqueue(delivery("b"));
    const claimed = await queue.claim("w1", at(5));
    await queue.complete(claimed!.id, "w1", "recorded", at(6));
    expect(await queue.has("a")).toBe(true); // done
    expect(await queue.has("b")).toBe(true); // queued
    expect(await queue.has("c")).toBe(false);
  });

  it("refuses an id that is not a delivery id", async () => {
    const queue = await (await make())();
    await expect(queue.enqueue(delivery("../../etc/passwd"))).rejects.toThrow(/not a delivery id/);
  });
});

describe("the journal", () => {
  it("sets aside a delivery whose stored body was lost, and goes on with the next", async () => {
    const dir = join(await tempDir("soc2-journal-"), "deliveries");
    const queue = await JournalQueue.open({ dir, now: steppingClock(TEST_NOW.toISOString()) });
    cleanups.push(() => queue.close());
    await queue.enqueue(delivery("lost", 1));
    await queue.enqueue(delivery("kept", 2));
    await rm(join(dir, "bodies", "lost.json"));
    expect((await queue.claim("w", at(5)))?.id).toBe("kept");
    const [lost] = await queue.list({ state: "dead" });
    expect(lost).toMatchObject({ id: "lost", state: "dead" });
    expect(lost!.lastError).toMatch(
      /^its stored body is missing or damaged: redeliver it from GitHub/,
    );
  });

  it("serves one process: a second one is refused while the first lives", async () => {
    const open = await journal();
    await open();
    await expect(open()).rejects.toThrow(
      /is in use by process \d+@.*run several replicas on PostgreSQL \(DATABASE_URL\)/,
    );
  });
});

describe("the PostgreSQL queue", () => {
  it("gives a delivery whose replica died (its lease ran out) to another replica", async () => {
    const open = await postgres();
    const dying = await open({ leaseMs: 1000 });
    const living = await open({ leaseMs: 1000 });
    await dying.enqueue(delivery("orphan"));
    expect((await dying.claim("replica-a", at(1)))?.id).toBe("orphan");
    expect(await living.claim("replica-b", at(1.5))).toBeUndefined();
    const taken = await living.claim("replica-b", at(2.5));
    expect(taken).toMatchObject({ id: "orphan", attempt: 2 });
    await expect(dying.complete("orphan", "replica-a", "late", at(3))).rejects.toThrow(
      /no longer held by replica-a/,
    );
    await living.complete("orphan", "replica-b", "recorded", at(3));
  });

  it("never hands one delivery to two replicas claiming at once", async () => {
    const open = await postgres();
    const replicas = await Promise.all([open(), open(), open(), open()]);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => replicas[i % 4]!.enqueue(delivery(`d${i}`, i / 1000))),
    );
    const seen: string[] = [];
    await Promise.all(
      replicas.flatMap((queue, r) =>
        [0, 1, 2].map(async (w) => {
          for (;;) {
            const claimed = await queue.claim(`r${r}w${w}`, at(10));
            if (!claimed) return;
            seen.push(claimed.id);
            await queue.complete(claimed.id, `r${r}w${w}`, "ok", at(11));
          }
        }),
      ),
    );
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
  });
});
