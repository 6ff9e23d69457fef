import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * The suite runs on a far-away date (vitest.config.ts preloads test/support/fake-clock.mjs): these
 * cases prove that it does, in the test process and in the processes tests start, so that a test
 * depending on today's date fails on the day it is written.
 */
const fake = process.env.SOC2_TEST_CLOCK ?? "";

describe("the suite's clock", () => {
  it("reads the far-away date, moving at the real pace", async () => {
    const start = Date.parse(fake);
    expect(Number.isNaN(start)).toBe(false);
    // eslint-disable-next-line no-restricted-syntax -- the point: the system clock is the fake one here
    const first = Date.now();
    expect(first).toBeGreaterThanOrEqual(start);
    expect(first - start).toBeLessThan(24 * 3_600_000); // a whole run takes minutes, not a day
    await new Promise((r) => setTimeout(r, 20));
    // eslint-disable-next-line no-restricted-syntax
    expect(new Date().getTime()).toBeGreaterThan(first);
    expect(Date()).toContain(String(new Date(start).getUTCFullYear()));
    expect(new Date(0).toISOString()).toBe("1970-01-01T00:00:00.000Z");
  });

  it("is the same clock in a process a test starts", () => {
    const child = execFileSync(
      process.execPath,
      ["-e", "process.stdout.write(String(Date.now()))"],
      {
        encoding: "utf8",
      },
    );
    // eslint-disable-next-line no-restricted-syntax
    expect(Math.abs(Number(child) - Date.now())).toBeLessThan(60_000);
    expect(Number(child) - Date.parse(fake)).toBeLessThan(24 * 3_600_000);
  });
});
