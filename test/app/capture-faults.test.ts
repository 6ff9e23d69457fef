import { join } from "node:path";
import pg from "pg";
import { ProbotOctokit } from "probot";
import { simpleGit } from "simple-git";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../../app/server.js";
import { deliver, type Delivery } from "../../src/dev/demo/deliver.js";
import type { Fault } from "../../src/dev/github-stand-in/faults.js";
import { startGitHubStandIn, type GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { runCli } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { freshDatabase } from "../helpers/database.js";
import { tempDir } from "../helpers/temp-dir.js";
import {
  expectNoPayloadIn,
  SECRET,
  startLiveApp,
  storyDeliveries,
  type LiveApp,
} from "./live-app.js";

// The capture path the hard way: the demo's story (nine deliveries, eight records) through the
// App's real server, every delivery sent three times at once, with 30% of GitHub API requests
// failing (5xx, 409, secondary rate limits). Expected every time: each change recorded exactly
// once, nothing dead-lettered, soc2 verify clean, nothing of the payloads in the logs.

/**
 * Probot's Octokit with its retry plugin on, as in production, but quick. Its throttling plugin
 * is off: it spaces content-creating requests a second apart (GitHub's secondary limit), which
 * would make this test slow, and its secondary-limit retries would hide those faults from the
 * store's and the queue's own handling of Retry-After, which is what this test is about.
 */
const RetryingOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { retryAfterBaseValue: 5 },
  throttle: { enabled: false },
}));

const running: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
});

/** A seeded generator, so that a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomFaults(rate: number, random: () => number) {
  return (request: { method: string; route: string | null }): Fault | undefined => {
    if (random() >= rate) return undefined;
    const pick = random();
    if (request.method === "PATCH" && request.route?.includes("/git/refs/"))
      return { pathPattern: /./, status: 409 };
    if (pick < 0.45) return { pathPattern: /./, status: 502 };
    if (pick < 0.85) return { pathPattern: /./, status: 500 };
    return { pathPattern: /./, status: 403, secondaryRateLimit: true, retryAfter: 1 };
  };
}

async function startApp(gh: GitHubStandIn, env: NodeJS.ProcessEnv): Promise<LiveApp> {
  const started = await startLiveApp(gh, env, { Octokit: RetryingOctokit });
  running.push(started.app);
  return started;
}

async function sendAllThreeTimes(apps: RunningApp[], deliveries: Delivery[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const [i, delivery] of deliveries.entries()) {
    // Three copies at once, spread over the replicas, as GitHub's retries and redeliveries do.
    const results = await Promise.all(
      [0, 1, 2].map((copy) =>
        deliver(apps[(i + copy) % apps.length]!.webhookUrl, SECRET, delivery),
      ),
    );
    statuses.push(...results.map((r) => r.status));
  }
  await Promise.all(apps.map((app) => app.settled()));
  return statuses;
}

describe("capturing changes while GitHub fails 30% of requests", () => {
  it("records every change exactly once through the git store, and verify is clean", async () => {
    const gh = await startGitHubStandIn({
      storyStart: new Date(TEST_NOW.getTime() - 3_600_000).toISOString(),
    });
    running.push(gh);
    const deliveries = await storyDeliveries(gh);
    const dir = join(await tempDir("soc2-capture-"), "evidence-repo");
    await runCli("init", dir, "--organization", "Acme");
    await simpleGit(dir).init(["-b", "main"]);
    await simpleGit(dir)
      .addConfig("user.name", "t")
      .addConfig("user.email", "t@localhost")
      .add(".")
      .commit("init");
    gh.state.faultInjector = randomFaults(0.3, seeded(7));
    const { app, logs } = await startApp(gh, {
      EVIDENCE_GIT_DIR: dir,
      DELIVERY_QUEUE_DIR: join(await tempDir("soc2-capture-queue-"), "deliveries"),
    });
    const statuses = await sendAllThreeTimes([app], deliveries);
    gh.state.faultInjector = undefined;

    expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);
    expect(await app.queue.list({ state: "dead" })).toEqual([]);
    // The App reads little (one GraphQL query and one REST read per merge, one query per push):
    // 30% of its few dozen requests is a handful of faults, each one retried.
    const faults = gh.requests.filter((r) => r.fault).length;
    expect(faults).toBeGreaterThan(1);
    const files = (await simpleGit(dir).raw(["ls-files", "evidence"])).split("\n");
    const records = files.filter((f) => /^evidence\/(changes|reviews|pull-requests)\//.test(f));
    expect(records).toHaveLength(8);
    const verify = await runCli("verify", dir);
    expect(verify.stdout + verify.stderr).not.toMatch(/error/i);
    expect(verify.code).toBe(0);
    expectNoPayloadIn(logs.text());
    const handled = logs.lines.filter((l) => l.outcome === "handled");
    expect(new Set(handled.map((l) => l.deliveryId)).size).toBe(
      new Set(deliveries.map((d) => d.id)).size,
    );
  }, 120_000);

  it("records every change exactly once with two replicas on PostgreSQL writing through the GitHub API", async () => {
    const db = await freshDatabase();
    running.push({ close: db.drop });
    const gh = await startGitHubStandIn({
      storyStart: new Date(TEST_NOW.getTime() - 3_600_000).toISOString(),
    });
    running.push(gh);
    const deliveries = await storyDeliveries(gh);
    const evidence = gh.state.addRepository({
      owner: "acme",
      name: "evidence",
      files: { "README.md": "evidence\n" },
    });
    gh.state.faultInjector = randomFaults(0.3, seeded(11));
    const env = { EVIDENCE_REPO: "acme/evidence", DATABASE_URL: db.url };
    const replicas = [await startApp(gh, env), await startApp(gh, env)];
    const statuses = await sendAllThreeTimes(
      replicas.map((r) => r.app),
      deliveries,
    );
    gh.state.faultInjector = undefined;

    expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);
    expect(await replicas[0]!.app.queue.list({ state: "dead" })).toEqual([]);
    const records = evidence
      .listFiles("main")
      .filter((f) => /^evidence\/(changes|reviews|pull-requests)\//.test(f));
    expect(records).toHaveLength(8);
    const handledBy = replicas.map(
      (r) => r.logs.lines.filter((l) => l.outcome === "handled").length,
    );
    expect(handledBy.reduce((a, b) => a + b)).toBe(new Set(deliveries.map((d) => d.id)).size);
    for (const r of replicas) expectNoPayloadIn(r.logs.text());
    // The replicas took turns on the evidence branch through the writer lock (ADR 0006), and
    // left a tip of the branch in its table.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ key: string; commit_sha: string }>(
      "select key, commit_sha from soc2_evidence_tips",
    );
    await client.end();
    expect(rows.map((r) => r.key)).toEqual(["acme/evidence@main:evidence"]);
    expect(evidence.log("main").map((c) => c.sha)).toContain(rows[0]!.commit_sha);
  }, 120_000);
});
