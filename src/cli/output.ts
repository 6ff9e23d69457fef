import pc from "picocolors";
import { systemClock, type Clock } from "../adapters/clock.js";

/** Where a command writes: injectable so tests can capture output without spawning a process. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
  /** Today, for the commands that assess "as of now" (default: the system clock). */
  now?: Clock;
  /** How a command waits (a retry's backoff, GitHub's Retry-After): injectable like the clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** The date and time now, by the clock the CLI was given. */
export const clockOf = (io: Output): Date => (io.now ?? systemClock)();

/** Waits `ms` by the CLI's own means: a timer unless the caller gave another way. */
export const sleepOf =
  (io: Output) =>
  (ms: number): Promise<void> =>
    io.sleep ? io.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  color: pc.isColorSupported && process.stdout.isTTY === true,
  now: systemClock,
};

/** A problem with how the command was called (exit 2), as opposed to a problem found in the repository (exit 1). */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export function parseFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown --format "${value}": use one of ${allowed.join(", ")}`);
}
