import { join } from "node:path";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { JournalScanState } from "../../app/redelivery/journal-scan-state.js";
import {
  scanForFailedDeliveries,
  type RedeliveryLogLine,
  type ScanOptions,
} from "../../app/redelivery/scan.js";
import type { GitHubClient } from "../../src/adapters/github/client.js";
import type { GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";
import { tempDir } from "../helpers/temp-dir.js";
import { receiver } from "../support/webhook-receiver.js";
import { KEY, SECRET } from "./live-app.js";
import { closeAll, running, standIn } from "./redelivery-support.js";
import { TestOctokit } from "./support.js";

// One scan at a time against the stand-in's deliveries API: paging, the checkpoint, and GitHub
// failing or rate-limiting in the middle of a scan.

afterEach(closeAll);

const ATTEMPTS = "/app/hook/deliveries/{delivery_id}/attempts";

interface Harness {
  gh: GitHubStandIn;
  /** What the App answers to deliveries. */
  answer: { status: number };
  /** Guids the queue holds. */
  queued: Set<string>;
  scan(over?: Partial<ScanOptions>): ReturnType<typeof scanForFailedDeliveries>;
  send(count: number): Promise<string[]>;
  /** Guids asked for through POST …/attempts, in order. */
  asked(): string[];
  lines: RedeliveryLogLine[];
}

async function harness(standInClock?: () => Date): Promise<Harness> {
  const { gh, checker } = await standIn(standInClock ? { now: standInClock } : {});
  running.push({ close: async () => checker.assertClean() });
  const answer = { status: 503 };
  const app = await receiver(() => answer.status);
  running.push(app);
  gh.state.hooks.configure({ url: app.url, secret: SECRET });
  const probot = new Probot({
    appId: gh.state.app.id,
    privateKey: KEY,
    Octokit: TestOctokit,
    baseUrl: gh.apiBase,
  });
  const github = (await probot.auth()) as unknown as GitHubClient;
  const state = new JournalScanState(await tempDir("soc2-scan-state-"));
  const queued = new Set<string>();
  const lines: RedeliveryLogLine[] = [];
  let sent = 0;
  return {
    gh,
    answer,
    queued,
    lines,
    scan: async (over = {}) => {
      const summary = await scanForFailedDeliveries({
        github,
        queue: { has: async (id) => queued.has(id) },
        state,
        now: steppingClock(TEST_NOW.toISOString()),
        maxPerScan: 50,
        perPage: 2,
        log: (line) => lines.push(line),
        ...over,
      });
      await gh.state.hooks.settled();
      return summary;
    },
    send: async (count) => {
      const guids: string[] = [];
      for (let i = 0; i < count; i++)
        guids.push((await gh.state.hooks.send("push", { n: sent++ })).guid);
      return guids;
    },
    asked: () =>
      gh.requests
        .filter((r) => r.route === ATTEMPTS && r.status === 202)
        .map(
          (r) => gh.state.hooks.attempts.find((a) => String(a.id) === r.params.delivery_id)!.guid,
        ),
  };
}

const listings = (gh: GitHubStandIn) =>
  gh.requests.filter((r) => r.route === "/app/hook/deliveries").length;

describe("the redelivery scan", () => {
  it("pages through every failed delivery, oldest first, and asks for nothing the second time", async () => {
    const h = await harness();
    const guids = await h.send(5);
    h.answer.status = 202;
    const first = await h.scan();
    expect(first).toMatchObject({ outcome: "scanned", examined: 5, failed: 5, complete: true });
    expect(first.redelivered).toEqual(guids);
    expect(h.asked()).toEqual(guids);
    expect(listings(h.gh)).toBe(3); // 2 + 2 + 1, following the Link header's cursor
    const second = await h.scan();
    expect(second).toMatchObject({ failed: 0, redelivered: [], deferred: 0 });
    expect(h.asked()).toHaveLength(5);
  });

  it("does not ask for a delivery the queue holds, nor one asked for whose redelivery is not listed yet", async () => {
    const h = await harness();
    const [stored, waiting] = await h.send(2);
    h.queued.add(stored!);
    // GitHub takes its time: the redelivery is not made before the next scan.
    h.gh.state.hooks.url = "http://127.0.0.1:9/hook";
    const first = await h.scan();
    expect(first).toMatchObject({ alreadyQueued: 1, redelivered: [waiting] });
    h.gh.state.hooks.attempts.splice(
      h.gh.state.hooks.attempts.findIndex((a) => a.redelivery),
      1,
    );
    const second = await h.scan();
    expect(second).toMatchObject({ alreadyQueued: 1, awaiting: 1, redelivered: [] });
    expect(h.asked()).toEqual([waiting]);
  });

  it("asks again when a redelivery failed too, and gives up after five", async () => {
    const h = await harness();
    const [guid] = await h.send(1);
    for (let i = 0; i < 5; i++) expect((await h.scan()).redelivered).toEqual([guid]);
    const last = await h.scan();
    expect(last).toMatchObject({ redelivered: [], gaveUp: [guid] });
    expect(h.lines.filter((l) => l.level === "error").map((l) => l.detail)).toEqual([
      expect.stringMatching(/^given up: 5 redeliveries failed/),
    ]);
  });

  it("gives up a delivery GitHub will not redeliver, and moves on", async () => {
    const h = await harness();
    const [guid] = await h.send(1);
    // GitHub forgets it between the listing and the request.
    h.gh.state.faultInjector = (r) => {
      if (r.route === ATTEMPTS) h.gh.state.hooks.attempts.splice(0);
      return undefined;
    };
    const scan = await h.scan();
    expect(scan).toMatchObject({ redelivered: [], gaveUp: [guid], deferred: 0 });
    expect(scan.checkpoint).toBeDefined();
    expect(h.lines.find((l) => l.level === "error")?.detail).toMatch(
      /^given up: GitHub will not redeliver it \(asking for a redelivery failed \(HTTP 404\)/,
    );
  });

  it("stops paging at the checkpoint (less a safety overlap)", async () => {
    // A minute between the stand-in's attempts.
    const h = await harness(steppingClock(TEST_NOW.toISOString(), 60_000));
    h.answer.status = 202;
    await h.send(6);
    const first = await h.scan({ overlapMs: 90_000 });
    expect(first).toMatchObject({ examined: 6, failed: 0, complete: true });
    h.answer.status = 503;
    const [late] = await h.send(1);
    h.answer.status = 202;
    const before = listings(h.gh);
    const second = await h.scan({ overlapMs: 90_000 });
    // The new one and the newest two already examined (page 2 reaches past the overlap).
    expect(listings(h.gh) - before).toBe(2);
    expect(second).toMatchObject({ examined: 4, redelivered: [late], complete: true });
  });

  it("keeps what a failing deliveries API hid for the next scan, and honours Retry-After", async () => {
    const h = await harness();
    const guids = await h.send(5);
    h.answer.status = 202;
    // The second page fails: what the first showed is asked for; the checkpoint does not move.
    let listed = 0;
    h.gh.state.faultInjector = (r) =>
      r.route === "/app/hook/deliveries" && ++listed === 2
        ? { pathPattern: /./, status: 502 }
        : undefined;
    const first = await h.scan();
    h.gh.state.faultInjector = undefined;
    expect(first).toMatchObject({ complete: false, redelivered: guids.slice(3) });
    expect(first.checkpoint).toBeUndefined();
    expect(first.error).toMatch(/^listing deliveries failed \(HTTP 502\)/);

    // A secondary rate limit on the first redelivery: nothing more is asked for this scan.
    h.gh.state.faults.push({
      method: "POST",
      pathPattern: ATTEMPTS,
      status: 403,
      secondaryRateLimit: true,
      retryAfter: 30,
    });
    const second = await h.scan();
    expect(second).toMatchObject({ complete: true, redelivered: [], deferred: 3, waitMs: 30_000 });
    // Not past the oldest delivery still to ask for.
    expect(second.checkpoint).toBe(h.gh.state.hooks.attempts[0]!.deliveredAt);
    expect(h.lines.some((l) => l.level === "warn" && /HTTP 403/.test(l.detail))).toBe(true);

    const third = await h.scan();
    expect(third).toMatchObject({ complete: true, redelivered: guids.slice(0, 3) });
    expect(third.checkpoint).toBeDefined();
    expect(new Set(h.asked())).toEqual(new Set(guids));
    expect(h.asked()).toHaveLength(5);
  });

  it("asks for at most maxPerScan, the rest in the next scan", async () => {
    const h = await harness();
    const guids = await h.send(3);
    h.answer.status = 202;
    expect(await h.scan({ maxPerScan: 2 })).toMatchObject({
      redelivered: guids.slice(0, 2),
      deferred: 1,
    });
    expect((await h.scan({ maxPerScan: 2 })).redelivered).toEqual(guids.slice(2));
  });

  it("keeps its state in DELIVERY_QUEUE_DIR, small", async () => {
    const dir = await tempDir("soc2-scan-state-");
    const state = new JournalScanState(dir);
    await state.write({
      checkpoint: "2040-01-01T00:00:00Z",
      scannedAt: TEST_NOW.toISOString(),
      pending: [],
    });
    expect(await new JournalScanState(dir).read()).toEqual({
      checkpoint: "2040-01-01T00:00:00Z",
      scannedAt: TEST_NOW.toISOString(),
      pending: [],
    });
    expect(await new JournalScanState(join(dir, "missing")).read()).toEqual({ pending: [] });
  });
});
