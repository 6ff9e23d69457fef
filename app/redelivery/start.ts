import { resolve } from "node:path";
import type { Probot } from "probot";
import type { Clock } from "../../src/adapters/clock.js";
import type { GitHubClient } from "../../src/adapters/github/client.js";
import type { AppConfig } from "../config.js";
import type { DeliveryQueue } from "../intake/delivery.js";
import { JournalScanState } from "./journal-scan-state.js";
import type { ScanStateStore } from "./scan-state.js";
import { scanForFailedDeliveries, type RedeliveryLogLine } from "./scan.js";
import { scheduleRedelivery, type RedeliverySchedule } from "./schedule.js";

/**
 * Starts the redelivery scan the settings ask for (ADR 0004), beside the queue they name: its
 * state in the journal folder, or in PostgreSQL where replicas take turns. Undefined when it is
 * off: REDELIVERY_INTERVAL_MS=0, or no App credentials to list the App's deliveries with.
 */
export async function startRedelivery(input: {
  config: AppConfig;
  env: NodeJS.ProcessEnv;
  probot: Probot;
  queue: DeliveryQueue;
  now: Clock;
  log: (line: RedeliveryLogLine) => void;
}): Promise<RedeliverySchedule | undefined> {
  const { config, env } = input;
  const { intervalMs, maxPerScan } = config.redelivery;
  if (intervalMs === 0) return undefined;
  if (!env.APP_ID?.trim() || !(env.PRIVATE_KEY?.trim() || env.PRIVATE_KEY_PATH?.trim())) {
    input.log({
      level: "info",
      outcome: "redelivery-scan",
      detail:
        "off: listing the App's failed deliveries needs APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH); set REDELIVERY_INTERVAL_MS=0 to say it is meant",
    });
    return undefined;
  }
  const target = config.queue.target;
  let state: ScanStateStore;
  try {
    state =
      target.type === "postgresql"
        ? await (await import("./postgres-scan-state.js")).PostgresScanState.open(target.url)
        : new JournalScanState(resolve(target.dir));
  } catch (error) {
    // Capturing deliveries matters more than asking for missed ones: the App runs on without it.
    input.log({
      level: "error",
      outcome: "redelivery-scan",
      detail: `off: ${(error as Error).message}`,
    });
    return undefined;
  }
  // No installation id: the App's own Octokit, authenticated with its JWT.
  const github = (await input.probot.auth()) as unknown as GitHubClient;
  const schedule = scheduleRedelivery({
    intervalMs,
    log: input.log,
    scan: (forced) =>
      scanForFailedDeliveries({
        github,
        queue: input.queue,
        state,
        now: input.now,
        maxPerScan,
        // Replicas share the state: one scan per interval is enough for all of them.
        minGapMs: forced ? 0 : intervalMs / 2,
        log: input.log,
      }),
  });
  return {
    scanNow: schedule.scanNow,
    idle: schedule.idle,
    stop: async (graceMs) => {
      await schedule.stop(graceMs);
      await state.close();
    },
  };
}
