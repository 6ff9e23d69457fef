import type { PendingRequest } from "../../src/core/redelivery/plan.js";

/** What one redelivery scan leaves for the next: small, and kept beside the delivery queue. */
export interface ScanState {
  /** GitHub's `delivered_at` up to which every failed delivery was dealt with (ISO). */
  checkpoint?: string;
  /** When the last scan ran (the App's clock, ISO): replicas do not scan more often than asked. */
  scannedAt?: string;
  /** Redeliveries asked for whose attempt GitHub has not listed yet. */
  pending: PendingRequest[];
}

/** Where the scan state lives: a file in the journal folder, or a row in PostgreSQL. */
export interface ScanStateStore {
  /** Runs `scan` as the only scanner (of all replicas); undefined when another one holds the lock. */
  exclusive<T>(scan: () => Promise<T>): Promise<T | undefined>;
  read(): Promise<ScanState>;
  /** Durable once it resolves. */
  write(state: ScanState): Promise<void>;
  close(): Promise<void>;
}

/** A stored state read back: anything unreadable is a fresh start (the scan then examines all GitHub lists). */
export function parseScanState(value: unknown): ScanState {
  const v = (value ?? {}) as Partial<Record<keyof ScanState, unknown>>;
  const iso = (x: unknown) =>
    typeof x === "string" && !Number.isNaN(Date.parse(x)) ? x : undefined;
  const checkpoint = iso(v.checkpoint);
  const scannedAt = iso(v.scannedAt);
  const pending = Array.isArray(v.pending)
    ? v.pending.filter(
        (p): p is PendingRequest =>
          typeof p?.guid === "string" && Number.isInteger(p?.attemptId) && iso(p?.at) !== undefined,
      )
    : [];
  return {
    ...(checkpoint ? { checkpoint } : {}),
    ...(scannedAt ? { scannedAt } : {}),
    pending,
  };
}
