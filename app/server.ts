import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createNodeMiddleware,
  createProbot,
  type Logger,
  type Options,
  type Probot,
  type ProbotOctokit,
} from "probot";
import { readConfig, type AppConfig } from "./config.js";
import { createApp, type AppSetup } from "./create-app.js";
import { sourceName } from "./version.js";
import { systemClock, type Clock } from "../src/adapters/clock.js";

export interface StartOptions {
  /** The settings (default: process.env). Probot's own (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, …) are read from it too. */
  env?: NodeJS.ProcessEnv;
  /** Where records go. Default: the store the settings name (EVIDENCE_REPO, EVIDENCE_GIT_REMOTE, EVIDENCE_GIT_DIR). */
  store?: AppSetup["store"];
  /** Overrides PORT and HOST (port 0: a free port). */
  port?: number;
  host?: string;
  log?: Logger;
  /** e.g. ProbotOctokit.defaults(…) without retries in tests. */
  Octokit?: typeof ProbotOctokit;
  /** The clock records are stamped with (default: the system clock). */
  now?: Clock;
  pullLookupDelaysMs?: readonly number[];
}

export interface RunningApp {
  /** http://host:port */
  url: string;
  /** Where GitHub must send deliveries: url + WEBHOOK_PATH. */
  webhookUrl: string;
  config: AppConfig;
  probot: Probot;
  close(): Promise<void>;
}

/** GitHub associates merged commits with their pull request within seconds: ask again after 1 s and 3 s. */
export const PULL_LOOKUP_DELAYS_MS = [1000, 3000] as const;

/**
 * Starts the App's webhook server: Probot's middleware (it checks X-Hub-Signature-256 and answers
 * 400 to an unsigned or forged delivery before any handler runs) on a node:http server, plus
 * GET /health for load balancers. Throws a ConfigError, listing every bad setting, before
 * listening when the settings are wrong (in production: no webhook secret).
 */
export async function startServer(options: StartOptions = {}): Promise<RunningApp> {
  const env = options.env ?? process.env;
  const config = readConfig(env);
  const probot = createProbot({
    env,
    overrides: {
      // Probot's default is warn, which would hide the record log lines operators rely on.
      logLevel: (env.LOG_LEVEL?.trim() || "info") as Options["logLevel"],
      ...(options.log ? { log: options.log } : {}),
      ...(options.Octokit ? { Octokit: options.Octokit } : {}),
    },
  });
  const now = options.now ?? systemClock;
  const store = options.store ?? (await import("./evidence-store.js")).storeFactory(config, now);
  const app = createApp({
    config,
    store,
    now,
    sourceName: sourceName(),
    pullLookupDelaysMs: options.pullLookupDelaysMs ?? PULL_LOOKUP_DELAYS_MS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  const middleware = await createNodeMiddleware(app, { probot, webhooksPath: config.webhookPath });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET" && (req.url === "/health" || req.url === "/ping")) {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    void middleware(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    });
  });
  const host = options.host ?? config.host;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? config.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    webhookUrl: `${url}${config.webhookPath}`,
    config,
    probot,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
