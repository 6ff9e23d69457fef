import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createProbot, type Logger, type Options, type Probot, type ProbotOctokit } from "probot";
import { systemClock, type Clock } from "../src/adapters/clock.js";
import type { EvidenceStore } from "../src/core/evidence/pending-record.js";
import { readConfig, type AppConfig } from "./config.js";
import type { AppDependencies } from "./dependencies.js";
import type { DeliveryQueue } from "./intake/delivery.js";
import { createDispatcher } from "./intake/dispatch.js";
import { WebhookIntake, type IntakeLogLine } from "./intake/http-intake.js";
import { openQueue } from "./intake/open-queue.js";
import { WorkerPool, type DeliveryLogLine } from "./intake/worker-pool.js";
import { firstLine } from "./handlers/record.js";
import { monitorOnce, type MonitorSummary } from "./monitor/monitor-round.js";
import {
  logNothingDeclared,
  logSummary,
  MONITOR_CHECKPOINTS,
  MonitorScheduler,
  type MonitorSlotRun,
} from "./monitor/scheduler.js";
import { openCheckpoints, type Checkpoints } from "./reconcile/checkpoints.js";
import { ReconcileScheduler, type RoundSummary } from "./reconcile/scheduler.js";
import type { RedeliveryLogLine } from "./redelivery/scan.js";
import type { RedeliverySchedule } from "./redelivery/schedule.js";
import { startRedelivery } from "./redelivery/start.js";
import { routeTable } from "./routes.js";
import { sourceName } from "./version.js";

export interface StartOptions {
  /** The settings (default: process.env). Probot's own (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, …) are read from it too. */
  env?: NodeJS.ProcessEnv;
  /** Where records go. Default: the store the settings name (EVIDENCE_REPO, EVIDENCE_GIT_REMOTE, EVIDENCE_GIT_DIR). */
  store?: EvidenceStore | ((app: Probot) => EvidenceStore);
  /** The delivery queue. Default: the one the settings name (DATABASE_URL, DELIVERY_QUEUE_DIR). */
  queue?: DeliveryQueue;
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
  queue: DeliveryQueue;
  /** The scan for failed deliveries GitHub should redeliver (undefined: off). */
  redelivery: RedeliverySchedule | undefined;
  /** Resolves once every queued delivery has been handled or dead-lettered. */
  settled(): Promise<void>;
  /** A reconciliation round now (RECONCILE_INTERVAL_MS > 0); undefined when off or another replica's turn. */
  reconcile(): Promise<RoundSummary | undefined>;
  /**
   * A monitoring run now, whatever the schedule (e.g. after fixing a setting); undefined when
   * soc2.yml declares no monitoring.desired_state. Rejects when it fails.
   */
  monitor(): Promise<MonitorSummary | undefined>;
  /** The schedule's look at the current slot now (MONITOR_INTERVAL_MS > 0); undefined when off. */
  monitorDue(): Promise<MonitorSlotRun | undefined>;
  /**
   * Stops: answers new deliveries 503, finishes storing those being received, lets the workers
   * finish what they hold (up to SHUTDOWN_DRAIN_MS, or `drainMs`), and closes the queue. Answers
   * how many deliveries were still in hand (they stay queued and are handled after a restart).
   */
  close(drainMs?: number): Promise<number>;
}

/** GitHub associates merged commits with their pull request within seconds: ask again after 1 s and 3 s. */
export const PULL_LOOKUP_DELAYS_MS = [1000, 3000] as const;

/**
 * Starts the App: a node:http server whose webhook endpoint checks the signature and stores each
 * delivery in a durable queue before answering (app/intake/http-intake.ts), workers that take
 * deliveries from the queue and run the handlers with retries (worker-pool.ts), and GET /health.
 * Throws a ConfigError, listing every bad setting, before listening when the settings are wrong.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningApp> {
  const env = options.env ?? process.env;
  const config = readConfig(env);
  const now = options.now ?? systemClock;
  const probot = createProbot({
    env,
    overrides: {
      // Probot's default is warn, which would hide the delivery log lines operators rely on.
      logLevel: (env.LOG_LEVEL?.trim() || "info") as Options["logLevel"],
      ...(options.log ? { log: options.log } : {}),
      ...(options.Octokit ? { Octokit: options.Octokit } : {}),
    },
  });
  await probot.ready();
  const log = probot.log;
  const storeOption =
    options.store ?? (await import("./evidence-store.js")).storeFactory(config, now);
  const store = typeof storeOption === "function" ? storeOption(probot) : storeOption;
  const deps: AppDependencies = {
    config,
    store,
    now,
    sourceName: sourceName(),
    pullLookupDelaysMs: options.pullLookupDelaysMs ?? PULL_LOOKUP_DELAYS_MS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const queue = options.queue ?? (await openQueue(config.queue, now));
  const pool = new WorkerPool({
    queue,
    handle: createDispatcher(probot, routeTable(deps), log),
    now,
    concurrency: config.queue.workers,
    maxAttempts: config.queue.maxAttempts,
    retryBaseMs: config.queue.retryBaseMs,
    retryMaxMs: config.queue.retryMaxMs,
    pollMs: config.queue.pollMs,
    heartbeatMs: Math.max(250, Math.floor(config.queue.leaseMs / 3)),
    log: (line: DeliveryLogLine) => writeLine(log, line),
  });
  const intake = new WebhookIntake({
    // Probot's own default; readConfig refuses it wherever it would be unsafe.
    secret: env.WEBHOOK_SECRET?.trim() || "development",
    queue,
    now,
    onQueued: () => pool.wake(),
    log: (line: IntakeLogLine) => writeLine(log, line),
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && (path === "/health" || path === "/ping")) {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    if (path === config.webhookPath) return intake.handle(req, res);
    req.resume();
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  const host = options.host ?? config.host;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? config.port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await queue.close();
    throw error;
  }
  // Deliveries acknowledged before a crash or a restart are handled now.
  pool.start();
  const reconciler = await startReconciler(probot, deps, log);
  const monitoring = await startMonitoring(probot, deps, log);
  // Listening first: GitHub sends the redeliveries it is asked for to this server.
  const redelivery = await startRedelivery({
    config,
    env,
    probot,
    queue,
    now,
    log: (line) => writeLine(log, line),
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closed: Promise<number> | undefined;
  return {
    url,
    webhookUrl: `${url}${config.webhookPath}`,
    config,
    probot,
    queue,
    redelivery,
    settled: () => pool.settled(),
    reconcile: () => reconciler?.runNow() ?? Promise.resolve(undefined),
    async monitor() {
      const summary = await monitorOnce(probot, deps, log);
      if (summary) logSummary(log, undefined, summary);
      else logNothingDeclared(log);
      return summary;
    },
    monitorDue: () => monitoring?.runDue() ?? Promise.resolve(undefined),
    close: (drainMs = config.queue.drainMs) =>
      (closed ??= (async () => {
        await redelivery?.stop();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await intake.close();
        server.closeIdleConnections();
        await reconciler?.stop();
        await monitoring?.stop();
        const left = await pool.stop(drainMs);
        server.closeAllConnections();
        await stopped;
        await queue.close();
        if (left > 0)
          log.warn(
            { outcome: "shutdown", inHand: left },
            `soc2: stopped with ${left} deliveries in hand: they stay queued and are handled after a restart`,
          );
        return left;
      })()),
  };
}

/**
 * A schedule that keeps checkpoints beside the queue, when its interval is set: started now. When
 * its checkpoints cannot be opened it stays off (deliveries are still recorded: only the schedule
 * is off) and the log says why.
 */
async function startScheduled<S extends { start(): void }>(
  intervalMs: number,
  open: () => Promise<Checkpoints>,
  make: (checkpoints: Checkpoints) => S,
  log: Logger,
  off: string,
): Promise<S | undefined> {
  if (intervalMs === 0) return undefined;
  let checkpoints;
  try {
    checkpoints = await open();
  } catch (error) {
    log.error({ error: firstLine(error) }, off);
    return undefined;
  }
  const scheduler = make(checkpoints);
  scheduler.start();
  return scheduler;
}

/** The reconciler, when RECONCILE_INTERVAL_MS is set: a round now, then one every interval. */
function startReconciler(probot: Probot, deps: AppDependencies, log: Logger) {
  return startScheduled(
    deps.config.reconcile.intervalMs,
    () => openCheckpoints(deps.config.queue),
    (checkpoints) =>
      new ReconcileScheduler({ probot, deps, checkpoints, log, startedAt: deps.now() }),
    log,
    "soc2: reconciliation is off: its checkpoints cannot be read",
  );
}

/** The monitoring schedule, when MONITOR_INTERVAL_MS is set: a look now, then every few minutes. */
function startMonitoring(probot: Probot, deps: AppDependencies, log: Logger) {
  return startScheduled(
    deps.config.monitor.intervalMs,
    () => openCheckpoints(deps.config.queue, MONITOR_CHECKPOINTS),
    (checkpoints) => new MonitorScheduler({ probot, deps, checkpoints, log }),
    log,
    "soc2: monitoring is off: its checkpoint cannot be read",
  );
}

/** One JSON log line per delivery event: ids, event, outcome, detail; never a payload. */
function writeLine(log: Logger, line: DeliveryLogLine | IntakeLogLine | RedeliveryLogLine): void {
  const { level, detail, ...fields } = line;
  log[level]({ ...fields }, `soc2: ${fields.outcome}: ${detail}`);
}
