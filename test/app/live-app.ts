// The App's real server on the GitHub stand-in, as the end-to-end capture tests run it: its own
// key and webhook secret, quick retries, production's log level, and the demo's story to send.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { ProbotOctokit } from "probot";
import { expect } from "vitest";
import type { DeliveryQueue } from "../../app/intake/delivery.js";
import { startServer, type RunningApp } from "../../app/server.js";
import type { Delivery } from "../../src/dev/demo/deliver.js";
import { playStory } from "../../src/dev/demo/story.js";
import type { GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";
import { captureLog, TestOctokit } from "./support.js";

export const SECRET = randomBytes(16).toString("hex");
export const KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export interface LiveApp {
  app: RunningApp;
  logs: ReturnType<typeof captureLog>;
}

/** Starts the App on the stand-in; `queue` replaces the one the settings name. The caller closes it. */
export async function startLiveApp(
  gh: GitHubStandIn,
  env: NodeJS.ProcessEnv,
  options: { Octokit?: typeof ProbotOctokit; queue?: DeliveryQueue } = {},
): Promise<LiveApp> {
  // Production's level: at debug, Probot's request logging prints request bodies (the records).
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
      DELIVERY_MAX_ATTEMPTS: "25",
      DELIVERY_POLL_MS: "50",
      ...env,
    },
    ...(options.queue ? { queue: options.queue } : {}),
    log: logs.log,
    Octokit: options.Octokit ?? TestOctokit,
    now: steppingClock(TEST_NOW.toISOString()),
    pullLookupDelaysMs: [],
  });
  return { app, logs };
}

/** The demo's story (merges, pushes, reviews; one delivery sent twice), played on the stand-in. */
export async function storyDeliveries(gh: GitHubStandIn): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  for await (const step of playStory(gh)) deliveries.push(step.delivery);
  return deliveries;
}

/** Logs name deliveries and records, never what the story's payloads say, the key or the secret. */
export function expectNoPayloadIn(text: string): void {
  expect(text).not.toContain("round overtime to the minute");
  expect(text).not.toContain("Overtime was rounded to the hour");
  expect(text).not.toContain(KEY.split("\n")[1]!);
  expect(text).not.toContain(SECRET);
}
