import type { EvidenceRecord, Frequency } from "../model.js";
import { asObject as obj } from "../json-read.js";

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** A calendar date (YYYY-MM-DD) in UTC. */
export type Day = string;

/** The UTC day of a date or timestamp, or undefined when it is neither. */
export function dayOf(value: unknown): Day | undefined {
  if (typeof value !== "string") return undefined;
  const match = DATE.exec(value);
  if (!match) return undefined;
  const day = match[0];
  if (value.length === 10) {
    // Date.parse rolls 2026-02-30 over to March: only a date that survives the round trip is real.
    const ms = Date.parse(`${day}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(day) ? day : undefined;
  }
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : undefined;
}

/** True for a well-formed calendar date YYYY-MM-DD. */
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && dayOf(value) === value;
}

export function addDays(day: Day, days: number): Day {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The same day `months` later; the last day of the month when that month is shorter. */
export function addMonths(day: Day, months: number): Day {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export const minDay = (a: Day, b: Day): Day => (a < b ? a : b);

/**
 * How many days old a control's evidence may be before it is stale, by the control's frequency,
 * when its evidence entry sets no max_age_days: the interval plus a grace period.
 */
export const DEFAULT_MAX_AGE_DAYS: Readonly<Record<Frequency, number>> = {
  "per-occurrence": 7,
  daily: 7,
  weekly: 10,
  monthly: 35,
  quarterly: 100,
  annually: 380,
};

/** Frequency assumed for a control that states none (soc2 validate reports it). */
export const FALLBACK_FREQUENCY: Frequency = "annually";

/** Months between policy reviews, by review_cadence. Unknown cadences count as annual. */
export const REVIEW_CADENCE_MONTHS: Readonly<Record<string, number>> = {
  quarterly: 3,
  semiannually: 6,
  annually: 12,
};

/**
 * The day the activity a record proves happened: an attestation's performed_at, a snapshot's
 * captured_at, a change's merged_at, a review's submitted_at, an event's occurred_at; recorded_at
 * when the content has none.
 */
export function evidenceDay(record: EvidenceRecord): Day | undefined {
  const c = obj(record.content);
  const activity =
    record.kind === "attestation"
      ? c.performed_at
      : record.kind === "settings-snapshot"
        ? c.captured_at
        : record.kind === "change-record"
          ? obj(c.change).merged_at
          : record.kind === "review-event"
            ? (obj(c.review).submitted_at ?? c.occurred_at)
            : c.occurred_at;
  return dayOf(activity) ?? dayOf(record.recordedAt);
}
