/** The stretch of time a reconciliation covers: [since, until), ISO 8601 instants in UTC. */
export interface ReconcileWindow {
  since: string;
  until: string;
}

/** True when an ISO timestamp falls in the window (since included, until excluded). */
export function inWindow(timestamp: string, window: ReconcileWindow): boolean {
  const at = Date.parse(timestamp);
  return Number.isFinite(at) && at >= Date.parse(window.since) && at < Date.parse(window.until);
}

/** True when an ISO timestamp is before the window: a newest-first listing can stop there. */
export function beforeWindow(timestamp: string, window: ReconcileWindow): boolean {
  const at = Date.parse(timestamp);
  return Number.isFinite(at) && at < Date.parse(window.since);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A --since or --until value: a day (YYYY-MM-DD, midnight UTC) or an ISO instant with a zone.
 * Answers the instant in ISO form, or a problem that says what to write instead.
 */
export function parseInstant(option: string, text: string): string | { problem: string } {
  const value = text.trim();
  const iso = DAY.test(value) ? `${value}T00:00:00Z` : INSTANT.test(value) ? value : undefined;
  const at = iso === undefined ? NaN : Date.parse(iso);
  if (
    !Number.isFinite(at) ||
    (DAY.test(value) && new Date(at).toISOString().slice(0, 10) !== value)
  )
    return {
      problem: `${option} "${text}" is not a date: give a day (YYYY-MM-DD, UTC) or an instant with its zone, e.g. 2026-01-01 or 2026-01-01T09:00:00Z`,
    };
  return new Date(at).toISOString();
}
