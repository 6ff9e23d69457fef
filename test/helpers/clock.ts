import { simpleGit, type SimpleGit } from "simple-git";
import type { Clock } from "../../src/adapters/clock.js";
import { DEFAULT_SUITE_CLOCK_START } from "../support/suite-clock.js";

/**
 * A clock for tests: starts at `start` and moves `stepMs` forward each time it is read, so that
 * what a test records is dated the same on every run, whatever the day.
 */
export function steppingClock(start: string, stepMs = 1000): Clock {
  let next = Date.parse(start);
  if (Number.isNaN(next)) throw new Error(`steppingClock: not a date: ${start}`);
  return () => {
    const at = new Date(next);
    next += stepMs;
    return at;
  };
}

/** The same instant as a day (YYYY-MM-DD, UTC). */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** A git client whose commits are dated `at` (author and committer), not by the system clock. */
export function gitAt(dir: string, at: Date): SimpleGit {
  const date = `${Math.floor(at.getTime() / 1000)} +0000`;
  return simpleGit({
    baseDir: dir,
    allowEnvironment: ["GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"],
  }).env({
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  });
}

/**
 * "Now" for what a test records or assesses: a day before the suite's clock starts (a far-away
 * date, see test/support/suite-clock.ts), so that what the CLI and the App read from the process
 * clock is always later than what the test recorded, and nothing depends on the day the suite runs.
 */
export const TEST_NOW = new Date(
  Date.parse(process.env.SOC2_TEST_CLOCK ?? DEFAULT_SUITE_CLOCK_START) - 86_400_000,
);
