import { describe, expect, it } from "vitest";
import { readConfig } from "../../app/config.js";

describe("the redelivery settings", () => {
  it("scan every five minutes by default, every REDELIVERY_INTERVAL_MS, or never with 0", () => {
    expect(readConfig({}).redelivery).toEqual({ intervalMs: 300_000, maxPerScan: 50 });
    expect(
      readConfig({ REDELIVERY_INTERVAL_MS: "60000", REDELIVERY_MAX_PER_SCAN: "10" }).redelivery,
    ).toEqual({ intervalMs: 60_000, maxPerScan: 10 });
    expect(readConfig({ REDELIVERY_INTERVAL_MS: "0" }).redelivery.intervalMs).toBe(0);
  });

  it("refuse a bad value, saying what is allowed", () => {
    expect(() =>
      readConfig({ REDELIVERY_INTERVAL_MS: "50", REDELIVERY_MAX_PER_SCAN: "all" }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'REDELIVERY_INTERVAL_MS "50" is not 0 (no redelivery scan) or a whole number of milliseconds from 1000 to 86400000, e.g. 300000 for every five minutes',
          'REDELIVERY_MAX_PER_SCAN "all" is not a whole number from 1 to 1000',
        ],
      }),
    );
  });
});
