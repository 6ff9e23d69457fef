import type { Control, EvidenceRecord, Frequency, Repository } from "../model.js";
import {
  addDays,
  DEFAULT_MAX_AGE_DAYS,
  evidenceDay,
  FALLBACK_FREQUENCY,
  minDay,
  type Day,
} from "./readiness-dates.js";
import { intervalsOf, withRecords, type Interval } from "./report.js";

/**
 * Freshness: per control, its last evidence, whether the next is overdue, and the intervals of the
 * audit period (one per operation its frequency expects) that have ended, each with or without
 * evidence. Pure: the as-of date and the period are arguments, so an auditor re-derives the same
 * answer from the repository alone.
 */

export interface FreshnessInterval extends Interval {
  /** Records of the control dated in the interval. */
  records: number;
}

export interface ControlFreshness {
  id: string;
  title: string;
  path: string;
  status: Control["status"];
  frequency: Frequency;
  /** Days the latest evidence may age before the next is overdue (the most lenient max age). */
  allowanceDays: number;
  /** What the allowance comes from: the frequency, or an evidence entry's max_age_days. */
  allowanceRule: string;
  last?: { id: string; kind: string; on: Day; path: string };
  /** The day by which the next evidence is due: the last one plus the allowance, else the period's start plus it. */
  due?: Day;
  /** Implemented, and the as-of date is past the due date (or it has never been evidenced, without a period). */
  overdue: boolean;
  /** The intervals of the period that have ended by the as-of date, oldest first. */
  intervals: FreshnessInterval[];
  /** Ended intervals with at least one record, and without. */
  evidenced: number;
  missing: number;
  /** Intervals of the period not ended yet (not counted either way). */
  notEnded: number;
  /**
   * per-occurrence: intervals do not apply; whether every change has a record is reconcile's job
   * (soc2 reconcile), and the population is what an auditor samples from.
   */
  note?: "per-occurrence";
}

export interface FreshnessOptions {
  asOf: Day;
  /** The audit period; none: last evidence and overdue only, no intervals. */
  period?: { start: Day; end: Day };
}

/** The allowance of a control: per evidence kind, and the most lenient of them. */
export function evidenceAllowances(control: Control): {
  kinds: Map<string, { days: number; rule: string }>;
  longest: { days: number; rule: string };
} {
  const frequency = control.frequency ?? FALLBACK_FREQUENCY;
  const fallback = DEFAULT_MAX_AGE_DAYS[frequency];
  // One entry per kind; a kind listed twice allows the longer age.
  const kinds = new Map<string, { days: number; rule: string }>();
  for (const e of control.evidence) {
    if (!e.kind) continue;
    const days = e.maxAgeDays ?? fallback;
    if ((kinds.get(e.kind)?.days ?? 0) < days)
      kinds.set(e.kind, { days, rule: e.maxAgeDays ? "its max_age_days" : frequency });
  }
  const longest = [...kinds.values()].sort((a, b) => b.days - a.days)[0] ?? {
    days: fallback,
    rule: frequency,
  };
  return { kinds, longest };
}

/** The freshness of one control from its records (any order; those dated after the as-of date are ignored). */
export function controlFreshness(
  control: Control & { id: string },
  records: readonly EvidenceRecord[],
  options: FreshnessOptions,
): ControlFreshness {
  const { asOf, period } = options;
  const frequency = control.frequency ?? FALLBACK_FREQUENCY;
  const { longest } = evidenceAllowances(control);
  const dated = records.flatMap((record) => {
    const on = evidenceDay(record);
    return on !== undefined && on <= asOf && record.controls.includes(control.id)
      ? [{ record, on }]
      : [];
  });
  const latest = dated.reduce<(typeof dated)[number] | undefined>(
    (best, d) =>
      !best || d.on > best.on || (d.on === best.on && (d.record.id ?? "") > (best.record.id ?? ""))
        ? d
        : best,
    undefined,
  );
  const due = latest
    ? addDays(latest.on, longest.days)
    : period && period.start <= asOf
      ? minDay(addDays(period.start, longest.days), period.end)
      : undefined;
  const implemented = control.status === "implemented";
  const overdue = implemented && (due === undefined ? !period || period.start <= asOf : asOf > due);

  const all = period ? intervalsOf(period.start, period.end, frequency) : [];
  // An interval counts once it has ended: the day after its last day is on or before the as-of date.
  const ended = all.filter((i) => i.to < asOf);
  const intervals = withRecords(ended, dated.map((d) => d.on).sort());
  const evidenced = intervals.filter((i) => i.records > 0).length;
  return {
    id: control.id,
    title: control.title,
    path: control.file.path,
    status: control.status,
    frequency,
    allowanceDays: longest.days,
    allowanceRule: longest.rule,
    ...(latest
      ? {
          last: {
            id: latest.record.id ?? latest.record.file.path,
            kind: latest.record.kind ?? "",
            on: latest.on,
            path: latest.record.file.path,
          },
        }
      : {}),
    ...(due ? { due } : {}),
    overdue,
    intervals,
    evidenced,
    missing: intervals.length - evidenced,
    notEnded: all.length - ended.length,
    ...(frequency === "per-occurrence" ? { note: "per-occurrence" as const } : {}),
  };
}

/** The freshness of every control with an id, sorted by id. */
export function assessFreshness(repo: Repository, options: FreshnessOptions): ControlFreshness[] {
  const byControl = new Map<string, EvidenceRecord[]>();
  for (const record of repo.evidence)
    for (const id of new Set(record.controls)) {
      const list = byControl.get(id);
      if (list) list.push(record);
      else byControl.set(id, [record]);
    }
  return repo.controls
    .filter((c): c is Control & { id: string } => c.id !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((c) => controlFreshness(c, byControl.get(c.id) ?? [], options));
}

/** The ended intervals as a strip, oldest first: ■ with evidence, □ without. */
export function intervalStrip(f: ControlFreshness): string {
  return f.intervals.map((i) => (i.records > 0 ? "■" : "□")).join("");
}
