/** Where deliveries wait and how workers take them (ADR 0003). */
export interface QueueConfig {
  target: { type: "journal"; dir: string } | { type: "postgresql"; url: string };
  /** Deliveries handled at once by one process (DELIVERY_WORKERS). */
  workers: number;
  /** Attempts before a delivery is dead-lettered (DELIVERY_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Backoff between attempts: DELIVERY_RETRY_BASE_MS doubling up to DELIVERY_RETRY_MAX_MS. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often idle workers look for deliveries other replicas queued (DELIVERY_POLL_MS). */
  pollMs: number;
  /** How long SIGTERM waits for the deliveries in hand (SHUTDOWN_DRAIN_MS). */
  drainMs: number;
  /**
   * PostgreSQL: a replica's claim on a delivery lasts this long unless it extends it (it does, a
   * third of the way through, while it works); a replica that died loses it then (DELIVERY_LEASE_MS).
   */
  leaseMs: number;
}

export const QUEUE_DEFAULTS = {
  dir: "./.soc2-app/deliveries",
  workers: 4,
  maxAttempts: 10,
  retryBaseMs: 5_000,
  retryMaxMs: 15 * 60_000,
  pollMs: 1_000,
  drainMs: 25_000,
  leaseMs: 60_000,
} as const;

/** Reads the queue settings; each bad one adds a problem (the App refuses to start). */
export function readQueueConfig(get: (name: string) => string, problems: string[]): QueueConfig {
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const text = get(name);
    if (text === "") return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} "${text}" is not a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const url = get("DATABASE_URL");
  if (url !== "" && !/^postgres(ql)?:\/\//.test(url))
    problems.push(
      "DATABASE_URL is not a postgres:// or postgresql:// URL (the App's scaled mode runs on PostgreSQL)",
    );
  return {
    target:
      url !== ""
        ? { type: "postgresql", url }
        : { type: "journal", dir: get("DELIVERY_QUEUE_DIR") || QUEUE_DEFAULTS.dir },
    workers: number("DELIVERY_WORKERS", QUEUE_DEFAULTS.workers, 1, 64),
    maxAttempts: number("DELIVERY_MAX_ATTEMPTS", QUEUE_DEFAULTS.maxAttempts, 1, 100),
    retryBaseMs: number("DELIVERY_RETRY_BASE_MS", QUEUE_DEFAULTS.retryBaseMs, 0, 3_600_000),
    retryMaxMs: number("DELIVERY_RETRY_MAX_MS", QUEUE_DEFAULTS.retryMaxMs, 0, 86_400_000),
    pollMs: number("DELIVERY_POLL_MS", QUEUE_DEFAULTS.pollMs, 10, 600_000),
    drainMs: number("SHUTDOWN_DRAIN_MS", QUEUE_DEFAULTS.drainMs, 0, 600_000),
    leaseMs: number("DELIVERY_LEASE_MS", QUEUE_DEFAULTS.leaseMs, 1_000, 3_600_000),
  };
}
