import { resolve } from "node:path";
import type { Clock } from "../../src/adapters/clock.js";
import type { QueueConfig } from "../queue-config.js";
import type { DeliveryQueue } from "./delivery.js";
import { JournalQueue } from "./journal-queue.js";

/** The queue the settings name: PostgreSQL (DATABASE_URL) for replicas, else the journal folder. */
export async function openQueue(
  config: QueueConfig,
  now: Clock,
  options: { operator?: boolean } = {},
): Promise<DeliveryQueue> {
  if (config.target.type === "postgresql") {
    // Loaded only when used: the embedded default needs no database driver.
    const { PostgresQueue } = await import("./postgres-queue.js");
    return PostgresQueue.open({ connectionString: config.target.url, leaseMs: config.leaseMs });
  }
  return JournalQueue.open({ dir: resolve(config.target.dir), now, ...options });
}
