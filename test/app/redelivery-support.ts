// Shared set-up for the redelivery tests: the stand-in with every request checked against
// GitHub's OpenAPI description, the App's real server on it, a queue that can be made to fail,
// and an evidence repository to verify.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { simpleGit } from "simple-git";
import { startServer, type RunningApp } from "../../app/server.js";
import type { DeliveryQueue } from "../../app/intake/delivery.js";
import { playStory } from "../../src/dev/demo/story.js";
import type { Delivery } from "../../src/dev/demo/deliver.js";
import { startGitHubStandIn, type GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { runCli } from "../helpers/capture.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createOpenApiChecker, type OpenApiChecker } from "../support/github-openapi.js";
import { captureLog, TestOctokit } from "./support.js";

export const SECRET = randomBytes(16).toString("hex");
export const KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

/** Everything a test started, closed after it in reverse order. */
export const running: { close(): Promise<unknown> }[] = [];
export async function closeAll(): Promise<void> {
  for (const r of running.splice(0).reverse()) await r.close();
}

export async function standIn(
  options: { now?: () => Date } = {},
): Promise<{ gh: GitHubStandIn; checker: OpenApiChecker }> {
  const checker = createOpenApiChecker();
  const gh = await startGitHubStandIn({
    ...options,
    storyStart: new Date(TEST_NOW.getTime() - 3_600_000).toISOString(),
    onRequest: checker.onRequest,
    onResponse: checker.onResponse,
  });
  running.push(gh);
  return { gh, checker };
}

/** The demo's story (merges, pushes, reviews; one delivery sent twice), played on the stand-in. */
export async function story(gh: GitHubStandIn): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  for await (const step of playStory(gh)) deliveries.push(step.delivery);
  return deliveries;
}

export type AppUnderTest = { app: RunningApp; logs: ReturnType<typeof captureLog> };

/** The App's real server on the stand-in, with quick retries; `queue` replaces the one the settings name. */
export async function startApp(
  gh: GitHubStandIn,
  env: NodeJS.ProcessEnv,
  queue?: DeliveryQueue,
): Promise<AppUnderTest> {
  const logs = captureLog("info");
  const app = await startServer({
    env: {
      NODE_ENV: "test",
      APP_ID: String(gh.state.app.id),
      PRIVATE_KEY: KEY,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: "0",
      DELIVERY_RETRY_BASE_MS: "20",
      DELIVERY_RETRY_MAX_MS: "200",
      DELIVERY_POLL_MS: "50",
      REDELIVERY_INTERVAL_MS: "3600000",
      ...env,
    },
    ...(queue ? { queue } : {}),
    log: logs.log,
    Octokit: TestOctokit,
    now: steppingClock(TEST_NOW.toISOString()),
    pullLookupDelaysMs: [],
  });
  running.push(app);
  return { app, logs };
}

/**
 * A queue whose intake can be broken: "fail" stores nothing (the App answers 503), "lost" stores
 * the delivery and then fails (stored, yet GitHub sees a 503, as when the answer is lost).
 */
export function breakable(inner: DeliveryQueue, mode: () => "ok" | "fail" | "lost"): DeliveryQueue {
  return new Proxy(inner, {
    get(target, property) {
      if (property === "enqueue")
        return async (delivery: Parameters<DeliveryQueue["enqueue"]>[0]) => {
          const now = mode();
          if (now === "fail") throw new Error("the disk is full");
          const result = await target.enqueue(delivery);
          if (now === "lost") throw new Error("the answer was lost");
          return result;
        };
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function"
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** An empty evidence repository, as `soc2 init` makes it, committed. */
export async function evidenceRepo(): Promise<string> {
  const dir = `${await tempDir("soc2-redelivery-")}/evidence-repo`;
  await runCli("init", dir, "--organization", "Acme");
  await simpleGit(dir).init(["-b", "main"]);
  await simpleGit(dir)
    .addConfig("user.name", "t")
    .addConfig("user.email", "t@localhost")
    .add(".")
    .commit("init");
  return dir;
}

/** Records written, by path. */
export async function recordsIn(dir: string): Promise<string[]> {
  const files = (await simpleGit(dir).raw(["ls-files", "evidence"])).split("\n");
  return files.filter((f) => /^evidence\/(changes|reviews|pull-requests)\//.test(f));
}

/** A port nothing listens on (for an App that is down, and comes back on the same URL). */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
