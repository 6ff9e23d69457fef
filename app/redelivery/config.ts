/** The redelivery scan's settings (ADR 0004). */
export interface RedeliveryConfig {
  /** How often the App asks GitHub for its failed deliveries (REDELIVERY_INTERVAL_MS); 0: never. */
  intervalMs: number;
  /** At most this many redeliveries asked for per scan (REDELIVERY_MAX_PER_SCAN). */
  maxPerScan: number;
}

export const REDELIVERY_DEFAULTS = { intervalMs: 5 * 60_000, maxPerScan: 50 } as const;

const wholeIn = (value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max;

/** Reads the redelivery settings; each bad one adds a problem (the App refuses to start). */
export function readRedeliveryConfig(
  get: (name: string) => string,
  problems: string[],
): RedeliveryConfig {
  const config: RedeliveryConfig = { ...REDELIVERY_DEFAULTS };
  const interval = get("REDELIVERY_INTERVAL_MS");
  if (interval !== "") {
    // More often than every second would spend the App's rate limit on listing deliveries.
    if (Number(interval) === 0 || wholeIn(Number(interval), 1_000, 86_400_000))
      config.intervalMs = Number(interval);
    else
      problems.push(
        `REDELIVERY_INTERVAL_MS "${interval}" is not 0 (no redelivery scan) or a whole number of milliseconds from 1000 to 86400000, e.g. 300000 for every five minutes`,
      );
  }
  const max = get("REDELIVERY_MAX_PER_SCAN");
  if (max !== "") {
    if (wholeIn(Number(max), 1, 1_000)) config.maxPerScan = Number(max);
    else problems.push(`REDELIVERY_MAX_PER_SCAN "${max}" is not a whole number from 1 to 1000`);
  }
  return config;
}
