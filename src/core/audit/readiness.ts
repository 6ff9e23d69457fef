import { computeCoverage, type CoverageRow } from "../coverage.js";
import { CATEGORY_NAMES, type Category } from "../criteria.js";
import type { Control, EvidenceRecord, Frequency, Repository } from "../model.js";
import {
  addDays,
  addMonths,
  daysBetween,
  evidenceDay,
  FALLBACK_FREQUENCY,
  isDay,
  minDay,
  REVIEW_CADENCE_MONTHS,
  type Day,
} from "./readiness-dates.js";
import { assessExceptions, type ExceptionStatus } from "./readiness-exceptions.js";
import { assessFreshness, evidenceAllowances, type ControlFreshness } from "./freshness.js";

export { DEFAULT_MAX_AGE_DAYS, REVIEW_CADENCE_MONTHS } from "./readiness-dates.js";
export type { ExceptionStatus } from "./readiness-exceptions.js";

/** What a readiness gap is about. Stable identifiers, used in every output format. */
export type ReadinessProblem =
  | "criterion-without-control"
  | "control-not-implemented"
  | "no-evidence-in-period"
  | "evidence-missing"
  | "evidence-stale"
  | "attestation-overdue"
  | "policy-not-approved"
  | "policy-review-overdue"
  | "exception-open";

/** The order gaps are listed in, and how each reads in a table. */
export const PROBLEMS: Readonly<Record<ReadinessProblem, string>> = {
  "criterion-without-control": "in-scope criterion without a control",
  "control-not-implemented": "control not implemented (planned or in progress)",
  "no-evidence-in-period": "control without evidence in the period",
  "evidence-missing": "evidence the control lists was never recorded",
  "evidence-stale": "evidence older than the control's frequency allows",
  "attestation-overdue": "manual control whose attestation is overdue",
  "policy-not-approved": "policy still a draft (not approved, so not in force)",
  "policy-review-overdue": "policy overdue for review",
  "exception-open": "exception without a retrospective review",
};

/** Something to fix before the audit. */
export interface ReadinessGap {
  problem: ReadinessProblem;
  /** A criterion, control, policy or change record id. */
  subject: string;
  /** The file concerned, from the repository root (none for a criterion without a control). */
  path?: string;
  message: string;
  /** The day it became due, when there is one. */
  due?: Day;
}

/**
 * How the assessment reads "the period": a Type 2 audit period (up to the as-of date), or, for a
 * Type 1, no period or a period not begun by the as-of date, each control's own maximum evidence
 * age back from the as-of date.
 */
export type ReadinessBasis =
  | { kind: "audit-period"; start: Day; end: Day; assessedTo: Day }
  | { kind: "lookback"; reason: "type-1" | "no-period" | "period-not-started"; period?: Period };

export interface Period {
  start: Day;
  end: Day;
}

/**
 * ready: implemented, no gap, and fresh evidence; gap: implemented with an evidence gap;
 * awaiting-evidence: implemented, not due to have operated in the period yet, no fresh evidence;
 * not-implemented: planned or in progress.
 */
export type ControlState = "ready" | "gap" | "awaiting-evidence" | "not-implemented";

export interface ControlReadiness {
  id: string;
  title: string;
  path: string;
  status: Control["status"];
  frequency: Frequency;
  automation?: Control["automation"];
  /** The longest age its evidence may reach (days): the most lenient of its evidence entries. */
  maxAgeDays: number;
  /** How many of its records are dated within the period (or its lookback). */
  recordsInPeriod: number;
  latest?: { id: string; kind: string; on: Day; ageDays: number };
  state: ControlState;
}

export interface PolicyReadiness {
  id: string;
  title: string;
  path: string;
  reviewCadence?: string;
  lastReviewed?: string;
  /** When the next review is due: last_reviewed plus the cadence. */
  due?: Day;
  overdue: boolean;
  /** Still a draft: never approved, so it is not in force whatever its dates say. */
  draft: boolean;
}

export interface CategoryReadiness {
  category: Category;
  name: string;
  /** Criteria of the category. */
  criteria: number;
  /** Criteria not declared not applicable. */
  applicable: number;
  /** Applicable criteria addressed by at least one implemented control. */
  covered: number;
  /** Applicable criteria addressed by at least one ready control (implemented, fresh evidence, no gap). */
  ready: number;
  /** ready / applicable, as a whole percentage rounded down; null when nothing is applicable. */
  score: number | null;
}

export interface ReadinessReport {
  asOf: Day;
  organization: string;
  system: string;
  auditType?: 1 | 2;
  basis: ReadinessBasis;
  categories: CategoryReadiness[];
  /** Every in-scope category together. */
  overall: Omit<CategoryReadiness, "category" | "name">;
  controls: ControlReadiness[];
  policies: PolicyReadiness[];
  exceptions: ExceptionStatus[];
  /** Per control (those listed in controls): last evidence, overdue, and the ended intervals of the period. */
  freshness: ControlFreshness[];
  gaps: ReadinessGap[];
}

export interface ReadinessOptions {
  /** The day of the assessment (YYYY-MM-DD). Records dated later are ignored. */
  asOf: Day;
  /**
   * The audit period. Omitted: soc2.yml's audit.period for a Type 2 audit. null: none (each
   * control's own maximum evidence age back from the as-of date, as for a Type 1).
   */
  period?: Period | null;
}

/**
 * The readiness (gap) assessment of a compliance repository as of a date: criteria without
 * controls, controls not implemented, controls without evidence in the period, stale evidence,
 * overdue attestations, policies overdue for review and open exceptions, with a score per
 * category. Pure: the as-of date and the period are arguments.
 */
export function assessReadiness(repo: Repository, options: ReadinessOptions): ReadinessReport {
  const { asOf } = options;
  const period =
    options.period === undefined
      ? repo.program?.audit.type === 2
        ? repo.program.audit.period
        : undefined
      : (options.period ?? undefined);
  const basis: ReadinessBasis =
    period && period.start <= asOf
      ? { kind: "audit-period", ...period, assessedTo: minDay(period.end, asOf) }
      : {
          kind: "lookback",
          reason: period
            ? "period-not-started"
            : repo.program?.audit.type === 1
              ? "type-1"
              : "no-period",
          ...(period ? { period } : {}),
        };

  const coverage = computeCoverage(repo);
  const inScope = new Map<string, CoverageRow>(
    coverage.rows.filter((r) => r.status !== "not-applicable").map((r) => [r.criterion.id, r]),
  );
  const gaps: ReadinessGap[] = [];
  for (const row of inScope.values())
    if (row.status === "gap")
      gaps.push({
        problem: "criterion-without-control",
        subject: row.criterion.id,
        message: `${row.criterion.id} (${row.criterion.title}) is in scope but no control addresses it: add a control that lists it, or declare it not applicable in soc2.yml with a justification`,
      });

  const byControl = evidenceByControl(repo.evidence, asOf);
  const controls = repo.controls
    .filter((c): c is Control & { id: string } => c.id !== undefined)
    .filter((c) => c.criteria.some((id) => inScope.has(id)))
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((c) => assessControl(c, byControl.get(c.id) ?? [], asOf, basis, gaps));

  const policies = repo.policies
    .filter((p): p is typeof p & { id: string } => p.id !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((p): PolicyReadiness => {
      const months =
        REVIEW_CADENCE_MONTHS[p.reviewCadence ?? ""] ?? REVIEW_CADENCE_MONTHS.annually!;
      const last =
        p.lastReviewed !== undefined && isDay(p.lastReviewed) ? p.lastReviewed : undefined;
      const due = last ? addMonths(last, months) : undefined;
      const draft = p.status === "draft";
      const overdue = !draft && (due === undefined || asOf > due);
      if (draft)
        gaps.push({
          problem: "policy-not-approved",
          subject: p.id,
          path: p.file.path,
          message:
            "is a draft: have its owner review and approve it, then set status: approved, last_reviewed and approved_by",
        });
      if (overdue)
        gaps.push({
          problem: "policy-review-overdue",
          subject: p.id,
          path: p.file.path,
          message: due
            ? `last reviewed on ${last}; reviewed ${p.reviewCadence ?? "annually"}, so the next review was due by ${due}: review it, then update last_reviewed and version`
            : "has no last_reviewed date: review it and record the date in last_reviewed",
          ...(due ? { due } : {}),
        });
      return {
        id: p.id,
        title: p.title,
        path: p.file.path,
        ...(p.reviewCadence ? { reviewCadence: p.reviewCadence } : {}),
        ...(p.lastReviewed ? { lastReviewed: p.lastReviewed } : {}),
        ...(due ? { due } : {}),
        overdue,
        draft,
      };
    });

  const exceptions = assessExceptions(repo, asOf);
  for (const e of exceptions)
    if (e.state === "open")
      gaps.push({
        problem: "exception-open",
        subject: e.id,
        path: e.path,
        message: describeOpenException(e),
        due: e.due.slice(0, 10),
      });

  const readyControls = new Set(controls.filter((c) => c.state === "ready").map((c) => c.id));
  const implemented = new Set(controls.filter((c) => c.status === "implemented").map((c) => c.id));
  const categories = coverage.categories.map((category): CategoryReadiness => {
    const rows = coverage.rows.filter((r) => r.criterion.category === category);
    return {
      category,
      name: CATEGORY_NAMES[category],
      criteria: rows.length,
      ...tally(rows, implemented, readyControls),
    };
  });
  const overall = {
    criteria: coverage.rows.length,
    ...tally(coverage.rows, implemented, readyControls),
  };

  const order = Object.keys(PROBLEMS);
  gaps.sort(
    (a, b) =>
      order.indexOf(a.problem) - order.indexOf(b.problem) ||
      a.subject.localeCompare(b.subject, "en", { numeric: true }) ||
      a.message.localeCompare(b.message),
  );
  return {
    asOf,
    organization: repo.program?.organization ?? "",
    system: repo.program?.systemName ?? "",
    ...(repo.program?.audit.type ? { auditType: repo.program.audit.type } : {}),
    basis,
    categories,
    overall,
    controls,
    policies,
    exceptions,
    freshness: freshnessOf(repo, controls, asOf, basis),
    gaps,
  };
}

function freshnessOf(
  repo: Repository,
  controls: readonly ControlReadiness[],
  asOf: Day,
  basis: ReadinessBasis,
): ControlFreshness[] {
  const period =
    basis.kind === "audit-period"
      ? { start: basis.start, end: basis.end }
      : basis.period && { start: basis.period.start, end: basis.period.end };
  const listed = new Set(controls.map((c) => c.id));
  return assessFreshness(repo, { asOf, ...(period ? { period } : {}) }).filter((f) =>
    listed.has(f.id),
  );
}

function tally(
  rows: readonly CoverageRow[],
  implemented: ReadonlySet<string>,
  ready: ReadonlySet<string>,
): Omit<CategoryReadiness, "category" | "name" | "criteria"> {
  const applicable = rows.filter((r) => r.status !== "not-applicable");
  const count = (set: ReadonlySet<string>) =>
    applicable.filter((r) => r.controls.some((c) => set.has(c.id))).length;
  const readyCount = count(ready);
  return {
    applicable: applicable.length,
    covered: count(implemented),
    ready: readyCount,
    score: applicable.length === 0 ? null : Math.floor((100 * readyCount) / applicable.length),
  };
}

interface Dated {
  record: EvidenceRecord & { id: string };
  on: Day;
}

/** Each control's records dated by the as-of date, newest first. */
function evidenceByControl(records: readonly EvidenceRecord[], asOf: Day): Map<string, Dated[]> {
  const out = new Map<string, Dated[]>();
  for (const record of records) {
    const on = evidenceDay(record);
    if (!record.id || on === undefined || on > asOf) continue;
    for (const control of new Set(record.controls)) {
      // Appended in place: copying the list per record made this quadratic in one control's records.
      const list = out.get(control);
      const dated = { record: record as Dated["record"], on };
      if (list) list.push(dated);
      else out.set(control, [dated]);
    }
  }
  for (const list of out.values())
    list.sort((a, b) =>
      a.on > b.on ? -1 : a.on < b.on ? 1 : a.record.id.localeCompare(b.record.id),
    );
  return out;
}

function assessControl(
  control: Control & { id: string },
  dated: readonly Dated[],
  asOf: Day,
  basis: ReadinessBasis,
  gaps: ReadinessGap[],
): ControlReadiness {
  const frequency = control.frequency ?? FALLBACK_FREQUENCY;
  const { kinds, longest } = evidenceAllowances(control);
  const maxAgeDays = longest.days;
  const latest = dated[0];
  const base: Omit<ControlReadiness, "state" | "recordsInPeriod"> = {
    id: control.id,
    title: control.title,
    path: control.file.path,
    status: control.status,
    frequency,
    ...(control.automation ? { automation: control.automation } : {}),
    maxAgeDays,
    ...(latest
      ? {
          latest: {
            id: latest.record.id,
            kind: latest.record.kind ?? "",
            on: latest.on,
            ageDays: daysBetween(latest.on, asOf),
          },
        }
      : {}),
  };
  const gap = (problem: ReadinessProblem, message: string, due?: Day) =>
    gaps.push({
      problem,
      subject: control.id,
      path: control.file.path,
      message,
      ...(due ? { due } : {}),
    });

  if (control.status !== "implemented") {
    gap(
      "control-not-implemented",
      `is ${control.status}: the criteria it addresses (${control.criteria.join(", ")}) are not met until it is implemented and operating`,
    );
    return { ...base, recordsInPeriod: 0, state: "not-implemented" };
  }

  // The window in which the control must have operated, and the day by which it had to.
  const window =
    basis.kind === "audit-period"
      ? {
          start: basis.start,
          end: basis.assessedTo,
          due: minDay(addDays(basis.start, maxAgeDays), basis.end),
          label: `the audit period (${basis.start} to ${basis.end})`,
        }
      : {
          start: addDays(asOf, -maxAgeDays),
          end: asOf,
          due: asOf,
          label: `the ${maxAgeDays} days up to ${asOf} (${longest.rule})`,
        };
  const inWindow = dated.filter((d) => d.on >= window.start && d.on <= window.end);
  // In a lookback, a control with older records is reported per kind below (stale, overdue).
  const mustHaveOperated =
    basis.kind === "lookback" ? latest === undefined : asOf > window.due || asOf >= basis.end;
  let hasGap = false;
  if (inWindow.length === 0 && mustHaveOperated) {
    hasGap = true;
    gap(
      "no-evidence-in-period",
      `no evidence record in ${window.label}${basis.kind === "audit-period" ? `; one was due by ${window.due}` : ""}${latest ? `; the latest, ${latest.record.id}, is from ${latest.on}` : "; none has ever been recorded"}`,
      window.due,
    );
  }

  let fresh = false;
  for (const [kind, { days: maxAge, rule }] of kinds) {
    const newest = dated.find((d) => d.record.kind === kind);
    const age = newest ? daysBetween(newest.on, asOf) : undefined;
    if (age !== undefined && age <= maxAge) fresh = true;
    if (hasGap) continue; // one finding per control is enough when it has not operated at all
    const attestation = control.automation === "manual" && kind === "attestation";
    if (newest === undefined) {
      const due =
        basis.kind === "audit-period" ? minDay(addDays(basis.start, maxAge), basis.end) : asOf;
      if (basis.kind === "audit-period" && !(asOf > due || asOf >= basis.end)) continue;
      hasGap = true;
      gap(
        attestation ? "attestation-overdue" : "evidence-missing",
        attestation
          ? `is performed by people ${frequency}, but no attestation of it has been recorded`
          : `lists ${kind} evidence, but no ${kind} record names it`,
        due,
      );
    } else if (age! > maxAge) {
      hasGap = true;
      const due = addDays(newest.on, maxAge);
      gap(
        attestation ? "attestation-overdue" : "evidence-stale",
        `its latest ${kind}, ${newest.record.id}, is from ${newest.on}, ${age} days before ${asOf}; it may be ${maxAge} days old (${rule}), so the next was due by ${due}`,
        due,
      );
    }
  }
  return {
    ...base,
    recordsInPeriod: inWindow.length,
    state: hasGap ? "gap" : fresh ? "ready" : "awaiting-evidence",
  };
}

function describeOpenException(e: ExceptionStatus): string {
  const what =
    e.number === undefined
      ? `${e.type} exception on a push straight to ${e.repository} (${e.mergedAt})`
      : `${e.type} exception on ${e.repository}#${e.number} (merged ${e.mergedAt})`;
  const missing =
    e.number === undefined
      ? `no review file exceptions/${e.id}.yml and no attestation naming this record is recorded`
      : `no review file exceptions/${e.id}.yml, no approving review submitted after the merge by someone other than the author, and no attestation naming this record is recorded`;
  return `${what}: its retrospective review was due by ${e.due}, but ${missing}. Reason: ${e.reason}`;
}
