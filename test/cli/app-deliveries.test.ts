import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JournalQueue } from "../../app/intake/journal-queue.js";
import { PostgresQueue } from "../../app/intake/postgres-queue.js";
import type { DeliveryQueue } from "../../app/intake/delivery.js";
import { runCli } from "../helpers/capture.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";
import { freshDatabase } from "../helpers/database.js";
import { tempDir } from "../helpers/temp-dir.js";

// An operator's commands for the App's queue, run beside it: list what failed, replay it.

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function withDeadDelivery(queue: DeliveryQueue): Promise<void> {
  const clock = steppingClock(TEST_NOW.toISOString());
  await queue.enqueue({ id: "dead-1", event: "push", body: "{}", receivedAt: clock() });
  await queue.enqueue({ id: "fine-1", event: "push", body: "{}", receivedAt: clock() });
  const first = await queue.claim("w", clock());
  await queue.deadLetter(
    first!.id,
    "w",
    "malformed: push payload: after is missing\nforged line",
    clock(),
  );
  const second = await queue.claim("w", clock());
  await queue.complete(second!.id, "w", "recorded changes/acme/web/2041/02/push-abc", clock());
}

describe("soc2 app deliveries and replay", () => {
  it("list the failed deliveries of the journal the running App owns, and replay one through it", async () => {
    const dir = join(await tempDir("soc2-cli-queue-"), "deliveries");
    const app = await JournalQueue.open({ dir, now: steppingClock(TEST_NOW.toISOString()) });
    open.push(app);
    await withDeadDelivery(app);

    const failed = await runCli("app", "deliveries", "--failed", "--queue-dir", dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^dead-1 {2}push {2}dead {2}attempts 1 {2}received 2041-/);
    expect(failed.stdout).toContain(
      "    malformed: push payload: after is missing\\nforged line\n",
    );
    expect(failed.stdout).not.toContain("fine-1");
    const all = JSON.parse(
      (await runCli("app", "deliveries", "--queue-dir", dir, "--format", "json")).stdout,
    ) as {
      queue: string;
      deliveries: { id: string; state: string }[];
    };
    expect(all.queue).toBe("journal");
    expect(all.deliveries.map((d) => [d.id, d.state])).toEqual([
      ["dead-1", "dead"],
      ["fine-1", "done"],
    ]);

    const replay = await runCli("app", "replay", "dead-1", "fine-1", "nope", "--queue-dir", dir);
    expect(replay.stdout).toBe("dead-1: queued again\n");
    expect(replay.stderr).toContain("fine-1: it is not dead-lettered");
    expect(replay.stderr).toContain("nope: no such delivery in the queue");
    expect(replay.code).toBe(1);
    // The App applies the request on its next look at the queue.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await app.claim("w2", new Date(TEST_NOW.getTime() + 60_000));
    expect(again).toMatchObject({ id: "dead-1", attempt: 1 });
  });

  it("work on the App's PostgreSQL queue too, and say what is wrong with the settings", async () => {
    const db = await freshDatabase();
    open.push({ close: db.drop });
    const queue = await PostgresQueue.open({ connectionString: db.url });
    open.push(queue);
    await withDeadDelivery(queue);
    const failed = await runCli(
      "app",
      "deliveries",
      "--failed",
      "--database-url",
      db.url,
      "--format",
      "json",
    );
    expect(JSON.parse(failed.stdout)).toMatchObject({
      queue: "postgresql",
      deliveries: [{ id: "dead-1" }],
    });
    expect((await runCli("app", "replay", "--all-failed", "--database-url", db.url)).stdout).toBe(
      "dead-1: queued again\n",
    );
    // Replayed at the CLI's clock (the suite's, a day after TEST_NOW): due from then.
    expect((await queue.claim("w", new Date(TEST_NOW.getTime() + 3 * 86_400_000)))?.id).toBe(
      "dead-1",
    );

    const missing = await runCli("app", "deliveries", "--queue-dir", join(await tempDir(), "none"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no delivery journal in .*none: point DELIVERY_QUEUE_DIR/);
    const bad = await runCli("app", "deliveries", "--database-url", "mysql://x");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("DATABASE_URL is not a postgres://");
  });
});
