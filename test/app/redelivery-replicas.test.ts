import { afterEach, describe, expect, it } from "vitest";
import { PostgresScanState } from "../../app/redelivery/postgres-scan-state.js";
import { freshDatabase } from "../helpers/database.js";
import { SECRET, storyDeliveries } from "./live-app.js";
import { closeAll, freePort, running, standIn, startApp } from "./redelivery-support.js";

// Replicas sharing PostgreSQL take turns: only one scans at a time, and the state they share
// (checkpoint, redeliveries asked for) keeps the others from asking GitHub again.

afterEach(closeAll);

const ATTEMPTS = "/app/hook/deliveries/{delivery_id}/attempts";

describe("redelivery with replicas on PostgreSQL", () => {
  it("two replicas scanning at once ask for each missed delivery once, and each change is recorded once", async () => {
    const db = await freshDatabase();
    running.push({ close: db.drop });
    const { gh, checker } = await standIn();
    const deliveries = await storyDeliveries(gh);
    const evidence = gh.state.addRepository({
      owner: "acme",
      name: "evidence",
      files: { "README.md": "evidence\n" },
    });
    // Every delivery is sent while no replica runs.
    const port = await freePort();
    gh.state.hooks.configure({
      url: `http://127.0.0.1:${port}/api/github/webhooks`,
      secret: SECRET,
    });
    for (const d of deliveries) await gh.state.hooks.send(d.event, d.payload, { guid: d.id });
    expect(gh.state.hooks.attempts.every((a) => a.statusCode === 0)).toBe(true);

    const env = { EVIDENCE_REPO: "acme/evidence", DATABASE_URL: db.url };
    // Held while the replicas start, so that no start-up scan asks for a redelivery before the
    // replica GitHub sends it to listens: they find the lock taken and skip.
    const holder = await PostgresScanState.open(db.url);
    running.push(holder);
    const replicas = (await holder.exclusive(async () => {
      const started = await Promise.all([
        startApp(gh, { ...env, PORT: String(port) }),
        startApp(gh, env),
      ]);
      await Promise.all(started.map((r) => r.app.redelivery!.idle()));
      return started;
    }))!;
    expect(gh.requests.filter((r) => r.route === ATTEMPTS)).toHaveLength(0);

    // Both scan at once: one holds the lock, the other skips (or, after it, finds all asked for).
    const scans = await Promise.all(replicas.map((r) => r.app.redelivery!.scanNow()));
    await gh.state.hooks.settled();
    await Promise.all(replicas.map((r) => r.app.settled()));

    const guids = new Set(deliveries.map((d) => d.id));
    expect(gh.requests.filter((r) => r.route === ATTEMPTS)).toHaveLength(guids.size);
    expect(scans.flatMap((s) => s?.redelivered ?? []).sort()).toEqual([...guids].sort());
    const records = evidence
      .listFiles("main")
      .filter((f) => /^evidence\/(changes|reviews|pull-requests)\//.test(f));
    expect(records).toHaveLength(8);

    // Later scans find nothing left to ask for.
    for (const r of replicas)
      expect(await r.app.redelivery!.scanNow()).toMatchObject({ failed: 0, redelivered: [] });
    expect(gh.requests.filter((r) => r.route === ATTEMPTS)).toHaveLength(guids.size);
    checker.assertClean();
  }, 120_000);

  it("lets one replica hold the scan lock at a time", async () => {
    const db = await freshDatabase();
    running.push({ close: db.drop });
    const [a, b] = await Promise.all([
      PostgresScanState.open(db.url),
      PostgresScanState.open(db.url),
    ]);
    running.push(a, b);
    let release!: () => void;
    const holding = a.exclusive(
      () => new Promise<string>((resolve) => (release = () => resolve("a"))),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await b.exclusive(async () => "b")).toBeUndefined();
    release();
    expect(await holding).toBe("a");
    expect(await b.exclusive(async () => "b")).toBe("b");
    await a.write({
      checkpoint: "2040-01-01T00:00:00.000Z",
      pending: [{ guid: "g", attemptId: 7, at: "2040-01-01T00:00:00.000Z" }],
    });
    expect(await b.read()).toEqual({
      checkpoint: "2040-01-01T00:00:00.000Z",
      pending: [{ guid: "g", attemptId: 7, at: "2040-01-01T00:00:00.000Z" }],
    });
  });
});
