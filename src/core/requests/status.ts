import type { Program } from "../model.js";
import type { AuditRequest } from "./request.js";

export type RequestState = "open" | "overdue" | "answered" | "stale";

export interface RequestStatusItem {
  request: AuditRequest;
  /** The request's ID, or its file path when it has none. */
  id: string;
  state: RequestState;
  /** Answer evidence whose file changed since it was frozen (or is gone). */
  stale: string[];
}

export interface RequestStatusReport {
  counts: Record<RequestState, number> & { total: number };
  items: RequestStatusItem[];
}

/**
 * Where each request stands as of a date: answered, stale (answered, but an evidence file changed
 * since it was frozen), overdue (open past its due date) or open. Overdue and stale first, then
 * by due date, so the list reads as a to-do list.
 */
export function requestStatus(
  requests: readonly AuditRequest[],
  /** Undefined: nothing is judged overdue, and every answer counts whatever its day. */
  asOf: string | undefined,
): RequestStatusReport {
  const items = requests.map((request): RequestStatusItem => {
    const stale = (request.answer?.evidence ?? [])
      .filter((e) => e.now === null || (e.now !== undefined && e.frozen !== e.now))
      .map((e) => e.path);
    // An answer given after the as-of day did not exist then: as of that day the request was open.
    const answeredOn = request.answer?.answeredOn;
    const answered =
      request.status === "answered" &&
      (asOf === undefined || answeredOn === undefined || answeredOn.slice(0, 10) <= asOf);
    const state: RequestState = answered
      ? stale.length > 0
        ? "stale"
        : "answered"
      : asOf !== undefined && request.due !== undefined && request.due < asOf
        ? "overdue"
        : "open";
    return { request, id: request.id ?? request.file.path, state, stale };
  });
  const rank: Record<RequestState, number> = { overdue: 0, stale: 1, open: 2, answered: 3 };
  items.sort(
    (a, b) =>
      rank[a.state] - rank[b.state] ||
      (a.request.due ?? "9999").localeCompare(b.request.due ?? "9999") ||
      a.id.localeCompare(b.id, "en", { numeric: true }),
  );
  const counts = { total: items.length, open: 0, overdue: 0, answered: 0, stale: 0 };
  for (const item of items) counts[item.state]++;
  return { counts, items };
}

/** A period folder name: letters, digits, dots, hyphens, underscores (2026, fy2026, 2026-h1). */
export const PERIOD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The period folder soc2.yml implies: the audit period's year ("2026"), or its two years
 * ("2026-2027") when it spans two; a Type 1's as-of year. Undefined when soc2.yml has neither.
 */
export function defaultPeriod(program: Program | undefined): string | undefined {
  const period = program?.audit.period;
  if (period) {
    const [start, end] = [period.start.slice(0, 4), period.end.slice(0, 4)];
    return start === end ? start : `${start}-${end}`;
  }
  return program?.audit.asOf?.slice(0, 4);
}
