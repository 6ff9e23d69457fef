import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { runDemo } from "../../src/dev/demo/run-demo.js";
import { dayOf, steppingClock, TEST_NOW } from "./clock.js";

/**
 * The evidence repository `soc2 demo` leaves (the App's records of a story of pull requests),
 * made once for the describe block that calls this, on the test clock, and removed after it.
 */
export function useDemoEvidence(prefix: string): { dir: () => string; today: () => string } {
  let root: string | undefined;
  let demo = "";
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
    demo = join(root, "evidence-repo");
    await runDemo({ dir: demo, out: () => undefined, now: steppingClock(TEST_NOW.toISOString()) });
  }, 120_000);
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  return { dir: () => demo, today: () => dayOf(TEST_NOW) };
}
