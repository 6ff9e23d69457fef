import type { Logger, Probot } from "probot";
import type { AppDependencies } from "../dependencies.js";
import { Periodic } from "../periodic.js";
import { firstLine } from "../handlers/record.js";
import type { Checkpoints } from "../reconcile/checkpoints.js";
import { monitorOnce, type MonitorSummary } from "./monitor-round.js";

/** What a scheduled check did. */
export interface MonitorSlotRun {
  /** The slot's start (ISO): slots are MONITOR_INTERVAL_MS long, counted from 1970-01-01T00:00Z. */
  slot: string;
  status: "ran" | "slot-done" | "other-replica" | "nothing-declared" | "failed";
  summary?: MonitorSummary;
}

/** The schedule's own checkpoint file (beside the journal) and PostgreSQL advisory lock. */
export const MONITOR_CHECKPOINTS = { file: "monitor-checkpoints.json", lock: 424244 } as const;
// In PostgreSQL, a row of the reconciler's table: no repository's name lacks a "/".
const SLOT_KEY = "monitor:slot";
// How often a replica looks whether the current slot still needs its run: a replica that was
// down, or busy, or failed, runs it within this long.
const MAX_TICK_MS = 15 * 60_000;

/** The start of the slot `at` falls in. */
export function slotOf(at: Date, intervalMs: number): Date {
  return new Date(Math.floor(at.getTime() / intervalMs) * intervalMs);
}

/**
 * The App's monitoring schedule: at start-up and every few minutes, runs monitoring once per slot
 * of MONITOR_INTERVAL_MS across all replicas. A replica runs the slot only while it holds the
 * checkpoints' lock (PostgreSQL: an advisory lock; the journal serves one process) and only if the
 * checkpoint shows the slot not done yet; the checkpoint moves once the run has ended. A failed
 * run leaves the slot open, and the next look tries again.
 */
export class MonitorScheduler {
  private readonly periodic: Periodic<MonitorSlotRun>;
  /** The slot in which "nothing declared" was last logged (once a slot is enough). */
  private quietSlot: string | undefined;

  constructor(
    private readonly options: {
      probot: Probot;
      deps: AppDependencies;
      checkpoints: Checkpoints;
      log: Logger;
    },
  ) {
    this.periodic = new Periodic(
      () => this.due(),
      Math.min(options.deps.config.monitor.intervalMs, MAX_TICK_MS),
    );
  }

  /** Looks at the slot now, then every few minutes. */
  start(): void {
    this.periodic.start();
  }

  /** The current slot's run, unless it was done (or the look already running). */
  runDue(): Promise<MonitorSlotRun> {
    return this.periodic.runNow();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
    await this.options.checkpoints.close();
  }

  private async due(): Promise<MonitorSlotRun> {
    const { probot, deps, log, checkpoints } = this.options;
    const slot = slotOf(deps.now(), deps.config.monitor.intervalMs).toISOString();
    try {
      const run = await checkpoints.exclusively(async (): Promise<MonitorSlotRun> => {
        const done = await checkpoints.get(SLOT_KEY);
        if (done !== undefined && Date.parse(done) >= Date.parse(slot))
          return { slot, status: "slot-done" };
        const summary = await monitorOnce(probot, deps, log);
        // Nothing declared leaves the slot open: a desired state added later runs within minutes.
        if (!summary) {
          if (this.quietSlot !== slot) logNothingDeclared(log);
          this.quietSlot = slot;
          return { slot, status: "nothing-declared" };
        }
        await checkpoints.set(SLOT_KEY, slot);
        logSummary(log, slot, summary);
        return { slot, status: "ran", summary };
      });
      return run ?? { slot, status: "other-replica" };
    } catch (error) {
      log.error(
        { slot, error: firstLine(error) },
        "soc2: monitoring failed: the slot's run is tried again within minutes",
      );
      return { slot, status: "failed" };
    }
  }
}

export function logNothingDeclared(log: Logger): void {
  log.info(
    "soc2: monitoring has nothing to do: the compliance repository's soc2.yml declares no monitoring.desired_state",
  );
}

export function logSummary(log: Logger, slot: string | undefined, summary: MonitorSummary): void {
  const failing = Object.entries(summary.controls).filter(([, r]) => r === "fail");
  log.info(
    { ...(slot ? { slot } : {}), ...summary },
    `soc2: monitored GitHub's settings: ${summary.snapshots} snapshot(s), ${failing.length ? `drift of ${failing.map(([c]) => c).join(", ")}` : "no drift"}`,
  );
}
