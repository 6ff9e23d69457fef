import { afterEach, describe, expect, it, vi } from "vitest";
import type { RedeliveryLogLine, ScanSummary } from "../../app/redelivery/scan.js";
import { scheduleRedelivery } from "../../app/redelivery/schedule.js";

// When scans run: at start, every interval, later when GitHub asked to wait, never after stop.

afterEach(() => {
  vi.useRealTimers();
});

const summary = (over: Partial<ScanSummary> = {}): ScanSummary => ({
  outcome: "scanned",
  examined: 0,
  failed: 0,
  redelivered: [],
  alreadyQueued: 0,
  awaiting: 0,
  deferred: 0,
  gaveUp: [],
  complete: true,
  ...over,
});

describe("the redelivery schedule", () => {
  it("scans at once, then every interval, later when GitHub asked to wait, and not after stop", async () => {
    vi.useFakeTimers();
    const runs: boolean[] = [];
    const answers = [summary(), summary({ waitMs: 5_000 }), summary()];
    const schedule = scheduleRedelivery({
      intervalMs: 1_000,
      scan: async (forced) => {
        runs.push(forced);
        return answers.shift() ?? summary();
      },
      log: () => {},
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([false]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(4_000); // GitHub asked for 5 s
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toHaveLength(3);
    expect(await schedule.scanNow()).toEqual(summary());
    expect(runs.at(-1)).toBe(true);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(4);
  });

  it("logs a scan that throws in one line and goes on", async () => {
    vi.useFakeTimers();
    const lines: RedeliveryLogLine[] = [];
    let calls = 0;
    const schedule = scheduleRedelivery({
      intervalMs: 1_000,
      scan: async () => {
        if (calls++ === 0) throw new Error("connect ECONNREFUSED 10.0.0.5:5432\n    at stack");
        return summary();
      },
      log: (line) => lines.push(line),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    expect(lines).toEqual([
      {
        level: "error",
        outcome: "redelivery-scan",
        detail:
          "scan failed: connect ECONNREFUSED 10.0.0.5:5432; the next one starts from the same checkpoint",
      },
    ]);
    await schedule.stop();
  });

  it("does not wait long for a scan in progress when stopping", async () => {
    vi.useFakeTimers();
    const schedule = scheduleRedelivery({
      intervalMs: 1_000,
      scan: () => new Promise<ScanSummary>(() => {}),
      log: () => {},
    });
    const stopped = schedule.stop(500);
    await vi.advanceTimersByTimeAsync(500);
    await expect(stopped).resolves.toBeUndefined();
  });
});
