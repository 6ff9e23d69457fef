import { computeCoverage, type CategoryCoverage, type CoverageStatus } from "../coverage.js";
import { CATEGORY_NAMES, compareCriteria, findCriterion, type Category } from "../criteria.js";
import {
  asObject,
  asString,
  asStrings,
  type Control,
  type EvidenceRecord,
  type Frequency,
  type Repository,
} from "../model.js";
import { draftState, type DraftState } from "./draft.js";
import { changePopulation, inPopulation, type ChangeItem } from "./population.js";
import {
  addDays,
  addMonths,
  evidenceDay,
  REVIEW_CADENCE_MONTHS,
  type Day,
} from "./readiness-dates.js";
import {
  assessExceptions,
  type ExceptionResponse,
  type ExceptionState,
} from "./readiness-exceptions.js";

/**
 * The data of `soc2 report`: a Type 1 description of the system and its controls at a date, or a
 * Type 2 account of how each control operated across a period, both computed only from the
 * repository and the dates given (no clock), so the same repository gives the same report.
 * Neither is an auditor's report: management prepares them from its own repository, and they
 * say so.
 */

export const REPORT_STATEMENT =
  "Prepared by management from its compliance and evidence repository with soc2-as-code. " +
  "This is not an auditor's report and expresses no opinion on the design or operating " +
  "effectiveness of the controls; it is the material an independent auditor examines.";

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// What both types share: who, what system, what scope

export interface ReportOrganization {
  name: string;
  website?: string;
  github?: string;
}

export interface ReportSystem {
  name: string;
  description: string;
  boundaries: Record<BoundaryKey, string[]>;
  subserviceOrganizations: Array<{ name: string; services: string; method: string }>;
}

export const BOUNDARY_KEYS = [
  "infrastructure",
  "software",
  "people",
  "data",
  "procedures",
  "repositories",
  "excluded",
] as const;
export type BoundaryKey = (typeof BOUNDARY_KEYS)[number];

export interface ReportScope {
  categories: Array<{ id: Category; name: string }>;
  notApplicable: Array<{ criterion: string; title: string; justification: string }>;
}

export function organizationOf(repo: Repository): ReportOrganization {
  const o = asObject(repo.program?.raw.organization);
  const website = asString(o.website);
  const github = asString(o.github);
  return {
    name: asString(o.name) ?? "",
    ...(website ? { website } : {}),
    ...(github ? { github } : {}),
  };
}

export function systemOf(repo: Repository): ReportSystem {
  const s = asObject(repo.program?.raw.system);
  const b = asObject(s.boundaries);
  const boundaries = Object.fromEntries(BOUNDARY_KEYS.map((k) => [k, asStrings(b[k])])) as Record<
    BoundaryKey,
    string[]
  >;
  const subservice = Array.isArray(s.subservice_organizations) ? s.subservice_organizations : [];
  return {
    name: asString(s.name) ?? "",
    description: asString(s.description) ?? "",
    boundaries,
    subserviceOrganizations: subservice.map((entry) => {
      const e = asObject(entry);
      return {
        name: asString(e.name) ?? "",
        services: asString(e.services) ?? "",
        method: asString(e.method) ?? "",
      };
    }),
  };
}

export function scopeOf(repo: Repository): ReportScope {
  const categories = [...new Set<Category>(["security", ...(repo.program?.categories ?? [])])];
  return {
    categories: categories.map((id) => ({ id, name: CATEGORY_NAMES[id] })),
    notApplicable: [...(repo.program?.notApplicable ?? [])]
      .sort((a, b) => compareCriteria(a.criterion, b.criterion))
      .map((n) => ({
        criterion: n.criterion,
        title: findCriterion(n.criterion)?.title ?? "",
        justification: n.justification,
      })),
  };
}

/** Owner role key → "Title (Name)" as soc2.yml states it. */
function ownerLabels(repo: Repository): Map<string, string> {
  const owners = asObject(repo.program?.raw.owners);
  return new Map(
    Object.entries(owners).map(([key, value]) => {
      const o = asObject(value);
      const title = asString(o.title);
      const name = asString(o.name);
      return [key, title && name ? `${title} (${name})` : (title ?? name ?? key)];
    }),
  );
}

const withIds = (controls: readonly Control[]) =>
  controls
    .filter((c): c is Control & { id: string } => c.id !== undefined)
    .sort((a, b) => byString(a.id, b.id));

// ---------------------------------------------------------------------------------------------
// Type 1

export interface ControlDescription {
  id: string;
  title: string;
  description: string;
  criteria: string[];
  owner?: string;
  ownerLabel?: string;
  frequency?: Frequency;
  automation?: "automated" | "manual";
  status: Control["status"];
  policies: string[];
  evidence: Array<{ kind: string; description: string }>;
}

export type PolicyReviewStatus =
  "current" | "overdue" | "reviewed-after-date" | "unknown" | "draft";

export interface PolicyDescription {
  id: string;
  title: string;
  owner?: string;
  ownerLabel?: string;
  version?: string;
  reviewCadence?: string;
  lastReviewed?: string;
  /** The last review plus the cadence. */
  nextReview?: string;
  approvedBy?: string;
  criteria: string[];
  /** At the report's date: current, overdue, or last reviewed after that date (a later version). */
  reviewStatus: PolicyReviewStatus;
}

export interface CriterionMapping {
  id: string;
  category: Category;
  family: string;
  familyName: string;
  title: string;
  status: CoverageStatus;
  controls: string[];
  justification?: string;
}

export interface Type1Report {
  type: 1;
  statement: string;
  /** Set while TODO placeholders remain: the report is a draft and says so on top. */
  draft?: DraftState;
  asOf: Day;
  /** Where the date came from. */
  asOfSource: "option" | "audit.as_of" | "audit.period.end";
  organization: ReportOrganization;
  system: ReportSystem;
  scope: ReportScope;
  audit: { type?: 1 | 2; asOf?: string; period?: { start: string; end: string }; auditor?: string };
  owners: Array<{ key: string; label: string }>;
  coverage: CategoryCoverage[];
  criteria: CriterionMapping[];
  controls: ControlDescription[];
  policies: PolicyDescription[];
}

export function type1Report(
  repo: Repository,
  asOf: Day,
  asOfSource: Type1Report["asOfSource"],
): Type1Report {
  const owners = ownerLabels(repo);
  const coverage = computeCoverage(repo);
  const auditor = asString(asObject(repo.program?.raw.audit).auditor);
  const draft = draftState(repo);
  return {
    type: 1,
    statement: REPORT_STATEMENT,
    ...(draft ? { draft } : {}),
    asOf,
    asOfSource,
    organization: organizationOf(repo),
    system: systemOf(repo),
    scope: scopeOf(repo),
    audit: { ...(repo.program?.audit ?? {}), ...(auditor ? { auditor } : {}) },
    owners: [...owners].map(([key, label]) => ({ key, label })),
    coverage: coverage.summary,
    criteria: coverage.rows.map((r) => ({
      id: r.criterion.id,
      category: r.criterion.category,
      family: r.criterion.family,
      familyName: r.criterion.familyName,
      title: r.criterion.title,
      status: r.status,
      controls: r.controls.map((c) => c.id),
      ...(r.justification === undefined ? {} : { justification: r.justification }),
    })),
    controls: withIds(repo.controls).map((c) => {
      const raw = asObject(c.file.parsed.value);
      const ownerLabel = c.owner ? owners.get(c.owner) : undefined;
      return {
        id: c.id,
        title: c.title,
        description: asString(raw.description) ?? "",
        criteria: [...c.criteria].sort(compareCriteria),
        ...(c.owner ? { owner: c.owner } : {}),
        ...(ownerLabel ? { ownerLabel } : {}),
        ...(c.frequency ? { frequency: c.frequency } : {}),
        ...(c.automation ? { automation: c.automation } : {}),
        status: c.status,
        policies: c.policies,
        evidence: c.evidence.map((e) => ({ kind: e.kind, description: e.description })),
      };
    }),
    policies: repo.policies
      .filter((p): p is typeof p & { id: string } => p.id !== undefined)
      .sort((a, b) => byString(a.id, b.id))
      .map((p) => {
        const approvedBy = asString(asObject(p.file.parsed.value).approved_by);
        const ownerLabel = p.owner ? owners.get(p.owner) : undefined;
        const months = p.reviewCadence ? REVIEW_CADENCE_MONTHS[p.reviewCadence] : undefined;
        const nextReview =
          p.lastReviewed && months && /^\d{4}-\d{2}-\d{2}$/.test(p.lastReviewed)
            ? addMonths(p.lastReviewed, months)
            : undefined;
        const reviewStatus: PolicyReviewStatus =
          p.status === "draft"
            ? "draft"
            : !p.lastReviewed
              ? "unknown"
              : p.lastReviewed > asOf
                ? "reviewed-after-date"
                : nextReview !== undefined && nextReview < asOf
                  ? "overdue"
                  : nextReview === undefined
                    ? "unknown"
                    : "current";
        return {
          id: p.id,
          title: p.title,
          ...(p.owner ? { owner: p.owner } : {}),
          ...(ownerLabel ? { ownerLabel } : {}),
          ...(p.version ? { version: p.version } : {}),
          ...(p.reviewCadence ? { reviewCadence: p.reviewCadence } : {}),
          ...(p.lastReviewed ? { lastReviewed: p.lastReviewed } : {}),
          ...(nextReview ? { nextReview } : {}),
          ...(approvedBy ? { approvedBy } : {}),
          criteria: [...p.criteria].sort(compareCriteria),
          reviewStatus,
        };
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Type 2

/** A stretch of the period in which a periodic control is expected to operate at least once. */
export interface Interval {
  from: Day;
  to: Day;
}

export type OperationAssessment =
  | "every-interval"
  | "gaps"
  | "no-evidence"
  | "per-occurrence"
  | "frequency-unknown"
  /** A period still running, and no interval of this control has ended yet. */
  | "not-yet-due";

export interface ControlOperation {
  id: string;
  title: string;
  frequency?: Frequency;
  automation?: "automated" | "manual";
  status: Control["status"];
  ownerLabel?: string;
  /** Records of the control dated in the period (by the day the activity happened). */
  records: number;
  byKind: Record<string, number>;
  first?: Day;
  last?: Day;
  /** Periodic controls: the intervals of the period due so far, and how many have evidence. */
  expected?: number;
  observed?: number;
  /** Intervals not counted because they have not ended yet (a period still running). */
  notYetDue?: number;
  /** Runs of consecutive intervals without evidence. */
  gaps: Array<Interval & { intervals: number }>;
  assessment: OperationAssessment;
}

export interface ChangeStatistics {
  control: string;
  changes: number;
  pullRequests: number;
  directPushes: number;
  verdicts: { pass: number; fail: number; pending: number; unknown: number };
  /** Changes whose approval is on the head commit that was merged. */
  approvedHead: number;
  /** Changes whose checks all passed. */
  checksPassed: number;
  exceptions: number;
  exceptionsByType: Record<string, number>;
  repositories: Array<{ repository: string; changes: number }>;
}

export interface ExceptionEntry {
  id: string;
  path: string;
  repository: string;
  /** "#12" or "direct push abc1234". */
  change: string;
  url?: string;
  mergedAt: string;
  type: string;
  reason: string;
  controls: string[];
  reviewDue?: string;
  /** At the end of the period: resolved by a later record, not yet due, or open. */
  reviewState: ExceptionState | "unknown";
  resolvedBy?: { id: string; path: string; kind: string; on: string };
  /** Management's response (exceptions/<id>.yml), recorded by the day the report is made. */
  response?: ExceptionResponse;
}

export interface AttestationFinding {
  record: string;
  path: string;
  title: string;
  performedAt: string;
  controls: string[];
  description: string;
  remediation?: string;
  resolvedOn?: string;
}

export interface Type2Report {
  type: 2;
  statement: string;
  /** Set while TODO placeholders remain: the report is a draft and says so on top. */
  draft?: DraftState;
  /**
   * `through`: set when the period has not ended on the day the report was made. Intervals that
   * start after it are not expected yet, and the interval it falls in is a gap only once it ends.
   */
  period: { from: Day; to: Day; source: "option" | "audit.period"; through?: Day };
  organization: ReportOrganization;
  system: { name: string; description: string };
  scope: ReportScope;
  totals: {
    controls: number;
    records: number;
    controlsWithEvidence: number;
    controlsWithGaps: number;
    controlsWithoutEvidence: number;
    changes: number;
    exceptions: number;
    /** Ended intervals of periodic controls without evidence, summed over the controls. */
    intervalsWithoutEvidence: number;
  };
  controls: ControlOperation[];
  changeManagement: ChangeStatistics[];
  exceptions: ExceptionEntry[];
  findings: AttestationFinding[];
}

const STEPS: Record<Exclude<Frequency, "per-occurrence">, { days?: number; months?: number }> = {
  daily: { days: 1 },
  weekly: { days: 7 },
  monthly: { months: 1 },
  quarterly: { months: 3 },
  annually: { months: 12 },
};

/**
 * The intervals of a period for a periodic control, counted from the period's first day (a
 * quarterly control over July–June has four: July–September, …); the last one ends with the
 * period, and may be shorter.
 */
export function intervalsOf(from: Day, to: Day, frequency: Frequency): Interval[] {
  if (frequency === "per-occurrence") return [];
  const step = STEPS[frequency];
  const at = (n: number): Day =>
    step.months ? addMonths(from, n * step.months) : addDays(from, n * (step.days ?? 1));
  const out: Interval[] = [];
  for (let n = 0; ; n++) {
    const start = at(n);
    if (start > to) break;
    const next = addDays(at(n + 1), -1);
    out.push({ from: start, to: next < to ? next : to });
  }
  return out;
}

/**
 * Each interval (in order, not overlapping) with how many of the days (sorted) fall in it: one
 * pass over the days, so a daily control with hourly snapshots stays linear.
 */
export function withRecords<I extends Interval>(
  intervals: readonly I[],
  days: readonly Day[],
): Array<I & { records: number }> {
  let next = 0;
  return intervals.map((i) => {
    while (next < days.length && days[next]! < i.from) next++;
    const first = next;
    while (next < days.length && days[next]! <= i.to) next++;
    return { ...i, records: next - first };
  });
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => byString(a, b)));
}

function operation(
  control: Control & { id: string },
  dated: Array<{ record: EvidenceRecord; day: Day }>,
  from: Day,
  to: Day,
  ownerLabel: string | undefined,
  today: Day | undefined,
): ControlOperation {
  const mine = dated.filter((d) => d.record.controls.includes(control.id));
  const days = mine.map((d) => d.day).sort(byString);
  const base = {
    id: control.id,
    title: control.title,
    ...(control.frequency ? { frequency: control.frequency } : {}),
    ...(control.automation ? { automation: control.automation } : {}),
    status: control.status,
    ...(ownerLabel ? { ownerLabel } : {}),
    records: mine.length,
    byKind: countBy(mine, (d) => d.record.kind ?? "unknown"),
    ...(days.length > 0 ? { first: days[0]!, last: days[days.length - 1]! } : {}),
  };
  if (!control.frequency || control.frequency === "per-occurrence") {
    return {
      ...base,
      gaps: [],
      assessment:
        mine.length === 0
          ? "no-evidence"
          : control.frequency
            ? "per-occurrence"
            : "frequency-unknown",
    };
  }
  const all = withRecords(intervalsOf(from, to, control.frequency), days);
  // An interval is due once it has ended; one still running counts only when it already has
  // evidence (so a control that operated early is not shown behind).
  const intervals =
    today === undefined
      ? all
      : all.filter((i) => i.to < today || (i.from <= today && i.records > 0));
  const notYetDue = all.length - intervals.length;
  const covered = intervals.map((i) => i.records > 0);
  const gaps: ControlOperation["gaps"] = [];
  intervals.forEach((interval, n) => {
    if (covered[n]) return;
    const last = gaps[gaps.length - 1];
    if (last && n > 0 && !covered[n - 1]) {
      last.to = interval.to;
      last.intervals++;
    } else gaps.push({ from: interval.from, to: interval.to, intervals: 1 });
  });
  const observed = covered.filter(Boolean).length;
  return {
    ...base,
    expected: intervals.length,
    observed,
    ...(notYetDue > 0 ? { notYetDue } : {}),
    gaps,
    assessment:
      intervals.length === 0
        ? "not-yet-due"
        : observed === 0
          ? "no-evidence"
          : observed === intervals.length
            ? "every-interval"
            : "gaps",
  };
}

function describeChange(c: ChangeItem): string {
  return c.type === "direct-push"
    ? `direct push ${c.mergedSha.slice(0, 7)}`
    : c.number === undefined
      ? `pull request ${c.mergedSha.slice(0, 7)}`
      : `#${c.number}`;
}

function changeStatistics(control: string, changes: ChangeItem[]): ChangeStatistics {
  const mine = changes.filter((c) => c.controls.includes(control));
  const exceptions = mine.filter((c) => c.exception);
  const repositories = countBy(mine, (c) => c.repository);
  return {
    control,
    changes: mine.length,
    pullRequests: mine.filter((c) => c.type === "pull-request").length,
    directPushes: mine.filter((c) => c.type === "direct-push").length,
    verdicts: {
      pass: mine.filter((c) => c.verdict === "pass").length,
      fail: mine.filter((c) => c.verdict === "fail").length,
      pending: mine.filter((c) => c.verdict === "pending").length,
      unknown: mine.filter((c) => c.verdict === "unknown").length,
    },
    approvedHead: mine.filter((c) => c.approvedHead).length,
    checksPassed: mine.filter((c) => c.checksPassed).length,
    exceptions: exceptions.length,
    exceptionsByType: countBy(exceptions, (c) => c.exception!.type),
    repositories: Object.entries(repositories).map(([repository, n]) => ({
      repository,
      changes: n,
    })),
  };
}

/**
 * `today`: the day the report is made (the caller's clock). While the period runs (it ends on or
 * after today), intervals are expected only once they have ended. Without it the period is taken
 * as over.
 */
export function type2Report(
  repo: Repository,
  period: { from: Day; to: Day },
  source: Type2Report["period"]["source"],
  today?: Day,
  /**
   * Every change record's population row, taken as the records streamed by, when `repo` holds
   * the records as summaries (readinessContent); computed from the records otherwise.
   */
  population?: readonly ChangeItem[],
): Type2Report {
  const { from, to } = period;
  const running = today !== undefined && today <= to ? today : undefined;
  const owners = ownerLabels(repo);
  const dated = repo.evidence.flatMap((record) => {
    const day = evidenceDay(record);
    return day !== undefined && day >= from && day <= to ? [{ record, day }] : [];
  });
  const controls = withIds(repo.controls);
  const operations = controls.map((c) =>
    operation(c, dated, from, to, c.owner ? owners.get(c.owner) : undefined, running),
  );
  const changes = population
    ? population.filter((c) => inPopulation(c, { from, to }))
    : changePopulation(repo, { from, to });
  // Change-management controls: those with changes in the period, and those addressing CC8.1
  // with change records as evidence (so that one with no change in the period shows a zero).
  const changeControls = controls
    .filter(
      (c) =>
        changes.some((ch) => ch.controls.includes(c.id)) ||
        (c.criteria.includes("CC8.1") && c.evidence.some((e) => e.kind === "change-record")),
    )
    .map((c) => c.id);
  const statuses = new Map(assessExceptions(repo, to).map((s) => [s.id, s]));
  // A response may be written after the period ends: the report lists those recorded by its day.
  const responses =
    today !== undefined && today > to
      ? new Map(assessExceptions(repo, today).map((s) => [s.id, s.response]))
      : new Map([...statuses].map(([id, s]) => [id, s.response]));
  const exceptions: ExceptionEntry[] = changes
    .filter((c) => c.exception)
    .map((c) => {
      const status = statuses.get(c.id);
      const due = status?.due ?? c.exception!.retrospectiveReviewDue;
      return {
        id: c.id,
        path: c.path,
        repository: c.repository,
        change: describeChange(c),
        ...(c.url ? { url: c.url } : {}),
        mergedAt: c.mergedAt,
        type: c.exception!.type,
        reason: c.exception!.reason,
        controls: c.controls,
        ...(due ? { reviewDue: due } : {}),
        reviewState: status?.state ?? "unknown",
        ...(status?.resolvedBy ? { resolvedBy: status.resolvedBy } : {}),
        ...(responses.get(c.id) ? { response: responses.get(c.id)! } : {}),
      };
    });
  const findings = dated
    .filter((d) => d.record.kind === "attestation")
    .sort((a, b) => byString(a.day, b.day) || byString(a.record.file.path, b.record.file.path))
    .flatMap(({ record, day }) => {
      const c = asObject(record.content);
      const list = Array.isArray(c.findings) ? c.findings.map(asObject) : [];
      return list.map((f): AttestationFinding => {
        const remediation = asString(f.remediation);
        const resolvedOn = asString(f.resolved_on);
        return {
          record: record.id ?? record.file.path,
          path: record.file.path,
          title: asString(c.title) ?? "",
          performedAt: day,
          controls: record.controls,
          description: asString(f.description) ?? "",
          ...(remediation ? { remediation } : {}),
          ...(resolvedOn ? { resolvedOn } : {}),
        };
      });
    });
  const system = systemOf(repo);
  const draft = draftState(repo);
  return {
    type: 2,
    statement: REPORT_STATEMENT,
    ...(draft ? { draft } : {}),
    period: { from, to, source, ...(running ? { through: running } : {}) },
    organization: organizationOf(repo),
    system: { name: system.name, description: system.description },
    scope: scopeOf(repo),
    totals: {
      controls: operations.length,
      records: dated.length,
      controlsWithEvidence: operations.filter((o) => o.records > 0).length,
      controlsWithGaps: operations.filter((o) => o.assessment === "gaps").length,
      controlsWithoutEvidence: operations.filter((o) => o.assessment === "no-evidence").length,
      changes: changes.length,
      exceptions: exceptions.length,
      intervalsWithoutEvidence: operations.reduce(
        (n, o) => n + (o.expected ?? 0) - (o.observed ?? 0),
        0,
      ),
    },
    controls: operations,
    changeManagement: changeControls.map((id) => changeStatistics(id, changes)),
    exceptions,
    findings,
  };
}
