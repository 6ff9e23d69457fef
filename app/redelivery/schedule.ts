import type { RedeliveryLogLine, ScanSummary } from "./scan.js";

export interface RedeliverySchedule {
  /** Runs a scan now, after the one in progress (if any), even if another replica just scanned. */
  scanNow(): Promise<ScanSummary | undefined>;
  /** Resolves once no scan is running (the start-up scan, or the last one asked for). */
  idle(): Promise<void>;
  /**
   * No further scan; waits up to `graceMs` for the one in progress. A scan cut short is safe: it
   * moves the checkpoint only once it has dealt with everything up to it.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs the redelivery scan at once and then every `intervalMs`, later when GitHub asked to wait
 * (Retry-After, a rate-limit reset). A scan that throws (the database is down, the App's key is
 * wrong) is logged and the schedule goes on: the next scan starts from the same checkpoint.
 */
export function scheduleRedelivery(options: {
  intervalMs: number;
  /** `forced`: an explicit request (scanNow), not the schedule: it does not skip a recent scan. */
  scan: (forced: boolean) => Promise<ScanSummary>;
  log: (line: RedeliveryLogLine) => void;
}): RedeliverySchedule {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ScanSummary | undefined> = Promise.resolve(undefined);

  const run = (forced: boolean): Promise<ScanSummary | undefined> => {
    running = running.then(async () => {
      if (stopped) return undefined;
      try {
        return await options.scan(forced);
      } catch (error) {
        options.log({
          level: "error",
          outcome: "redelivery-scan",
          detail: `scan failed: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}; the next one starts from the same checkpoint`,
        });
        return undefined;
      }
    });
    return running;
  };

  const next = (summary: ScanSummary | undefined) => {
    if (stopped) return;
    const wait = Math.max(options.intervalMs, summary?.waitMs ?? 0);
    timer = setTimeout(() => void run(false).then(next), wait);
    // The schedule alone must not keep a process alive that has nothing else to do.
    timer.unref();
  };
  void run(false).then(next);

  return {
    scanNow: () => run(true),
    idle: async () => void (await running),
    stop: async (graceMs = 2_000) => {
      stopped = true;
      clearTimeout(timer);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        running,
        new Promise((resolve) => (grace = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(grace);
    },
  };
}
