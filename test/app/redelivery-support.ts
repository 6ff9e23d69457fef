// Shared set-up for the redelivery tests: the stand-in with every request checked against
// GitHub's OpenAPI description, the App's real server on it (live-app.ts), a queue that can be
// made to fail, and an evidence repository to verify.
import { simpleGit } from "simple-git";
import type { DeliveryQueue } from "../../app/intake/delivery.js";
import { startGitHubStandIn, type GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { runCli } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createOpenApiChecker, type OpenApiChecker } from "../support/github-openapi.js";
import { startLiveApp, type LiveApp } from "./live-app.js";

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

/** The App on the stand-in, closed after the test, scanning at start-up and then hourly. */
export async function startApp(
  gh: GitHubStandIn,
  env: NodeJS.ProcessEnv,
  queue?: DeliveryQueue,
): Promise<LiveApp> {
  const started = await startLiveApp(
    gh,
    { REDELIVERY_INTERVAL_MS: "3600000", ...env },
    queue ? { queue } : {},
  );
  running.push(started.app);
  return started;
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
