import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JournalQueue } from "../../app/intake/journal-queue.js";
import { runCli } from "../helpers/capture.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";
import { tempDir } from "../helpers/temp-dir.js";
import { expectNoPayloadIn, SECRET, storyDeliveries } from "./live-app.js";
import {
  breakable,
  closeAll,
  evidenceRepo,
  recordsIn,
  standIn,
  startApp,
} from "./redelivery-support.js";

// GitHub never redelivers a failed delivery by itself. The App, down or unable to store, misses a
// stretch of merges, pushes and reviews; when it is back, its redelivery scan finds them in
// GitHub's list of deliveries and asks for each again: every change is recorded exactly once.

afterEach(closeAll);

describe("redelivering what GitHub failed to deliver", () => {
  it("records every change missed while the App answered 503 or was down, once, and verify is clean", async () => {
    const { gh, checker } = await standIn();
    const deliveries = await storyDeliveries(gh);
    const dir = await evidenceRepo();
    const queueDir = join(await tempDir("soc2-redelivery-queue-"), "deliveries");

    // The App runs but cannot store deliveries (a full disk): it answers 503. The first one is
    // stored and its answer lost: GitHub shows it failed, the queue has it.
    let sent = 0;
    const broken = breakable(
      await JournalQueue.open({ dir: queueDir, now: steppingClock(TEST_NOW.toISOString()) }),
      () => (sent++ === 0 ? "lost" : "fail"),
    );
    const first = await startApp(
      gh,
      { EVIDENCE_GIT_DIR: dir, REDELIVERY_INTERVAL_MS: "0" },
      broken,
    );
    gh.state.hooks.configure({ url: first.app.webhookUrl, secret: SECRET });
    const half = Math.ceil(deliveries.length / 2);
    const answered: number[] = [];
    for (const d of deliveries.slice(0, half))
      answered.push((await gh.state.hooks.send(d.event, d.payload, { guid: d.id })).statusCode);
    await first.app.settled();
    await first.app.close();

    // Then the App is down: GitHub cannot connect.
    for (const d of deliveries.slice(half))
      answered.push((await gh.state.hooks.send(d.event, d.payload, { guid: d.id })).statusCode);
    expect(answered).toEqual([
      ...Array(half).fill(503),
      ...Array(deliveries.length - half).fill(0),
    ]);

    // Back, on the same URL: the start-up scan asks for every failed delivery not in the queue.
    const port = new URL(first.app.webhookUrl).port;
    const { app, logs } = await startApp(gh, {
      EVIDENCE_GIT_DIR: dir,
      DELIVERY_QUEUE_DIR: queueDir,
      PORT: port,
    });
    await app.redelivery!.idle();
    await gh.state.hooks.settled();
    await app.settled();

    const guids = [...new Set(deliveries.map((d) => d.id))];
    const asked = gh.requests.filter(
      (r) => r.route === "/app/hook/deliveries/{delivery_id}/attempts",
    );
    expect(asked).toHaveLength(guids.length - 1); // the stored one is not asked for
    expect(asked.every((r) => r.auth?.kind === "app-jwt" && r.status === 202)).toBe(true);
    const redelivered = gh.state.hooks.attempts.filter((a) => a.redelivery && a.statusCode === 202);
    expect(new Set(redelivered.map((a) => a.guid))).toEqual(new Set(guids.slice(1)));

    expect(await recordsIn(dir)).toHaveLength(8);
    expect(await app.queue.list({ state: "dead" })).toEqual([]);
    const verify = await runCli("verify", dir);
    expect(verify.stdout + verify.stderr).not.toMatch(/error/i);
    expect(verify.code).toBe(0);

    const requested = logs.lines.filter((l) => l.outcome === "redelivery");
    expect(requested.map((l) => l.deliveryId).sort()).toEqual(guids.slice(1).sort());
    const summaries = logs.lines.filter((l) => l.outcome === "redelivery-scan");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.msg).toMatch(/7 redeliveries asked for, 1 already queued/);
    expectNoPayloadIn(logs.text());

    // Nothing is left to ask for: the one GitHub still shows failed is in the queue.
    const again = await app.redelivery!.scanNow();
    expect(again).toMatchObject({
      outcome: "scanned",
      failed: 1,
      alreadyQueued: 1,
      redelivered: [],
      complete: true,
    });
    expect(
      gh.requests.filter((r) => r.route === "/app/hook/deliveries/{delivery_id}/attempts"),
    ).toHaveLength(guids.length - 1);
    checker.assertClean();
  }, 120_000);
});
