import { policyChanges, type PolicyChange } from "../audit/policy-changes.js";
import { allChanges, type ChangeItem } from "../audit/population.js";
import { assessReadiness, type ReadinessReport } from "../audit/readiness.js";
import { REVIEW_CADENCE_MONTHS } from "../audit/readiness-dates.js";
import type { ExceptionResponse, ExceptionState } from "../audit/readiness-exceptions.js";
import { computeCoverage, type CoverageReport } from "../coverage.js";
import { contentDigest } from "../digest.js";
import { recordDigest } from "../evidence/chain.js";
import type { IntegrityReport, VerifyFinding } from "../evidence/verify-records.js";
import {
  asObject,
  asString,
  type Control,
  type EvidenceRecord,
  type Policy,
  type Program,
  type Repository,
} from "../model.js";
import { addMonths, daysBetween, parseTime } from "./dates.js";
import { PAGE_ROWS } from "./paginate.js";
import type { Rows } from "../rows.js";
import { PathAllocator, preferredPath, SIMPLE_NAME } from "./paths.js";
import { chainAndTimes } from "./chain-neighbours.js";
import { driftEventSummary } from "../monitoring/drift-event.js";
import { loadSourceFile } from "../source-file.js";

/** What the adapter hands the portal: the repository, the record files' text and the chain check. */
export interface PortalInput {
  repository: Repository;
  /**
   * The text of each evidence record file, by its path from the repository root (shown as raw
   * YAML). Read only when a record's page is made, so it may hold just the page's record.
   */
  recordTexts: Pick<ReadonlyMap<string, string>, "get">;
  /** The evidence as `soc2 verify` found it (the chain and every other check), and whether git history was part of the check. */
  integrity: { report: IntegrityReport; historyChecked: boolean };
  /**
   * The date at which statuses are assessed (readiness, policy reviews, retrospective reviews),
   * YYYY-MM-DD: the CLI's today unless given, as for soc2 readiness. Without it the site states
   * due dates but no overdue status and no readiness.
   */
  asOf?: string;
  /** Rows on one page of a long list (default PAGE_ROWS); tests make it small. */
  pageRows?: number;
  /**
   * What the site needs of each record, taken as the records streamed by (portalRecordFacts and
   * the population rows in merge order), when `repository` holds summaries of the records rather
   * than their content; without it, it is computed from the records. Both are read a page at a
   * time, so an adapter may keep them in a file rather than in memory.
   */
  streamed?: {
    changes: Rows<ChangeItem>;
    records: Pick<ReadonlyMap<string, PortalRecordFacts>, "get">;
  };
}

/** What the site shows of a record in lists and links, from the whole record. */
export interface PortalRecordFacts {
  /** When what the record describes happened (merge, review, sign-off), else recorded_at. */
  when?: string;
  summary: string;
  link?: { sequence: number; previous: string | null };
  /** The digest of the whole record, as the next record's chain.previous names it. */
  recordDigest: string;
  /** The digest its content hashes to now. */
  actualDigest: string;
  /** Its population row, when it is a change record. */
  change?: ChangeItem;
}

/** A record's facts for the site; `change` is its population row, when it is a change record. */
export function portalRecordFacts(
  record: EvidenceRecord,
  change: ChangeItem | undefined,
): PortalRecordFacts {
  const content = asObject(record.content);
  const kind = record.kind ?? "unknown";
  const link = readLink(asObject(record.file.parsed.value).chain);
  return {
    ...optional("when", eventTime(kind, content, record.recordedAt)),
    summary: summarize(kind, content, change),
    ...(link ? { link } : {}),
    recordDigest: recordDigest(record.file.parsed.value),
    actualDigest: contentDigest(record.content ?? null),
    ...(change ? { change } : {}),
  };
}

/** One file of the site: a path relative to the site's root and its text. */
export interface SiteFile {
  path: string;
  content: string;
}

/** What a link to a record's page needs. */
export interface RecordLink {
  page: string;
  /** The record's id, or its file path when it has none. */
  id: string;
}

/**
 * A record as its page and the lists show it. Made when a page needs it (from the record's
 * summary and its facts), never held for every record at once.
 */
export interface RecordInfo {
  record: EvidenceRecord;
  page: string;
  /** The record's id, or its file path when it has none. */
  id: string;
  kind: string;
  /**
   * The whole record, parsed: for its own page. A record kept as a summary is parsed from its
   * text then (PortalInput.recordTexts), so the site never holds every record's content.
   */
  whole: () => Record<string, unknown>;
  /** When what the record describes happened (merge, review, sign-off), else recorded_at. */
  when?: string;
  summary: string;
  change?: ChangeItem;
  link?: { sequence: number; previous: string | null };
  /** The digest of the whole record, as the next record's chain.previous names it. */
  recordDigest: string;
  /** The digest its content hashes to now. */
  actualDigest: string;
  findings: VerifyFinding[];
  /** The record whose record digest this record's chain link names. */
  previous?: RecordLink;
  /** The first record (in path order) whose chain link names this record's digest. */
  next?: RecordLink;
}

export interface ControlInfo {
  control: Control;
  page: string;
  /** The control's id, or its file path when it has none. */
  label: string;
  raw: Record<string, unknown>;
  /** The records that name the control, by when they happened. */
  records: Rows<RecordInfo>;
  /** How many of its records are of each kind. */
  recordKinds: ReadonlyMap<string, number>;
}

export type PolicyStatus = "current" | "due-soon" | "overdue" | "not-assessed" | "draft";

export interface PolicyInfo {
  policy: Policy;
  page: string;
  label: string;
  raw: Record<string, unknown>;
  nextReview?: string;
  status: PolicyStatus;
  controls: ControlInfo[];
  /** Recorded pull requests that changed the file, oldest first: its versions and their approvals. */
  changes: Array<PolicyChange & { record?: RecordLink }>;
}

/**
 * As `soc2 readiness` and `soc2 report` judge it (assessExceptions): resolved by a later record,
 * awaiting its retrospective review (not due yet), or open (due and unresolved); not assessed
 * without an as-of date, or for a change merged after it.
 */
export type ExceptionStatus = ExceptionState | "not-assessed";

export interface ExceptionInfo {
  change: ChangeItem;
  record?: RecordLink;
  status: ExceptionStatus;
  /** When the retrospective review is (or was) due: from the record, else merge plus the policy's hours. */
  due?: string;
  /** The record that resolves it: an approving review after the merge, or an attestation naming it. */
  resolvedBy?: RecordLink;
  /** Management's response, from the review file exceptions/<record id>.yml. */
  response?: ExceptionResponse;
}

export interface PortalContext {
  input: PortalInput;
  program?: Program;
  coverage: CoverageReport;
  controls: ControlInfo[];
  controlById: Map<string, ControlInfo>;
  policies: PolicyInfo[];
  policyById: Map<string, PolicyInfo>;
  /** Every record, in path order; each is made when its slice is read. */
  records: Rows<RecordInfo>;
  /** Each record's page and the file it shows, in path order, without making the record. */
  recordPages(): Iterable<{ page: string; file: string; info: () => RecordInfo }>;
  /** The records of each kind, in path order. */
  recordsOfKind: ReadonlyMap<string, Rows<RecordInfo>>;
  /** The page of the record at a path from the repository root. */
  recordLink(path: string): RecordLink | undefined;
  /** The change population, in merge order. */
  changes: Rows<ChangeItem>;
  /** The population's repositories (sorted) and the first and last days of its merges. */
  changeFacets: { repositories: string[]; firstDay?: string; lastDay?: string };
  exceptions: ExceptionInfo[];
  exceptionByPath: Map<string, ExceptionInfo>;
  /** The latest recorded_at of any record. */
  latestRecord?: string;
  /** Criteria that have a row on the criteria page (in scope). */
  criteriaInScope: Set<string>;
  /** The readiness assessment as of input.asOf: the very one soc2 readiness prints. */
  readiness?: ReadinessReport;
  /** Rows on one page of a long list (the population, a control's or a kind's records). */
  pageRows: number;
}

/** A policy whose review falls due within this many days of the as-of date is "due soon". */
const DUE_SOON_DAYS = 30;

export const KIND_ORDER = [
  "change-record",
  "review-event",
  "pull-request-event",
  "attestation",
  "settings-snapshot",
  "drift-event",
];

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildContext(input: PortalInput): PortalContext {
  const repo = input.repository;
  const coverage = computeCoverage(repo);
  const paths = new PathAllocator();
  const evidencePath = repo.program?.evidencePath ?? "evidence";

  const findingsByPath = new Map<string, VerifyFinding[]>();
  for (const f of input.integrity.report.findings) {
    findingsByPath.set(f.path, [...(findingsByPath.get(f.path) ?? []), f]);
  }

  const sorted = [...repo.evidence].sort((a, b) => byText(a.file.path, b.file.path));
  const indexByPath = new Map(sorted.map((record, i) => [record.file.path, i]));
  const { changes, factsAt } = recordFacts(input, sorted);
  const pageAt = recordPageAllocation(sorted, evidencePath);
  const linkAt = (i: number): RecordLink => ({ page: pageAt(i), id: idOf(sorted[i]!) });
  const recordLink = (path: string) => {
    const i = indexByPath.get(path);
    return i === undefined ? undefined : linkAt(i);
  };
  const { whenMs, previous, next } = chainAndTimes(sorted.length, factsAt);

  const wholeOf = wholeRecords(input.recordTexts);
  const infoAt = (i: number): RecordInfo => {
    const record = sorted[i]!;
    const whole = wholeOf(record);
    const [before, after] = [previous[i]!, next[i]!];
    return {
      record,
      page: pageAt(i),
      id: idOf(record),
      kind: record.kind ?? "unknown",
      whole: () => asObject(whole()),
      ...factsAt(i),
      findings: findingsByPath.get(record.file.path) ?? [],
      ...(before >= 0 ? { previous: linkAt(before) } : {}),
      ...(after >= 0 ? { next: linkAt(after) } : {}),
    };
  };
  const every = sorted.map((_, i) => i);
  const records = listOf(every, infoAt);
  const ofKind = new Map<string, number[]>();
  for (const i of every) {
    const kind = sorted[i]!.kind ?? "unknown";
    const list = ofKind.get(kind);
    if (list) list.push(i);
    else ofKind.set(kind, [i]);
  }

  const controls = [...repo.controls]
    .sort((a, b) => byText(a.id ?? `~${a.file.path}`, b.id ?? `~${b.file.path}`))
    .map((control): ControlInfo => ({
      control,
      page: paths.take("controls", pageName(control.id, control.file.path)),
      label: control.id ?? control.file.path,
      raw: asObject(control.file.parsed.value),
      records: listOf([], infoAt),
      recordKinds: new Map(),
    }));
  const controlById = new Map<string, ControlInfo>();
  for (const c of controls)
    if (c.control.id && !controlById.has(c.control.id)) controlById.set(c.control.id, c);
  const ofControl = new Map<ControlInfo, number[]>();
  for (const i of every) {
    for (const id of new Set(sorted[i]!.controls)) {
      const c = controlById.get(id);
      if (!c) continue;
      const list = ofControl.get(c);
      if (list) list.push(i);
      else ofControl.set(c, [i]);
    }
  }
  for (const [c, list] of ofControl) {
    // By when the records happened; a record without a time last; then by path (the index).
    list.sort((a, b) => whenMs[a]! - whenMs[b]! || a - b);
    c.records = listOf(list, infoAt);
    const kinds = new Map<string, number>();
    for (const i of list) {
      const kind = sorted[i]!.kind ?? "unknown";
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    c.recordKinds = kinds;
  }

  const changesByPolicy = policyChanges(repo, (path) => {
    const i = indexByPath.get(path);
    return i === undefined ? undefined : factsAt(i).change;
  });
  const policies = [...repo.policies]
    .sort((a, b) => byText(a.id ?? `~${a.file.path}`, b.id ?? `~${b.file.path}`))
    .map((policy): PolicyInfo => {
      // As soc2 readiness: an unknown cadence counts as annual.
      const months = REVIEW_CADENCE_MONTHS[policy.reviewCadence ?? ""] ?? 12;
      const nextReview = policy.lastReviewed ? addMonths(policy.lastReviewed, months) : undefined;
      return {
        policy,
        page: paths.take("policies", pageName(policy.id, policy.file.path)),
        label: policy.id ?? policy.file.path,
        raw: asObject(policy.file.parsed.value),
        ...(nextReview ? { nextReview } : {}),
        status: policy.status === "draft" ? "draft" : policyStatus(nextReview, input.asOf),
        controls: policy.id ? controls.filter((c) => c.control.policies.includes(policy.id!)) : [],
        changes: (changesByPolicy.get(policy.file.path) ?? []).map((c) => {
          const record = recordLink(c.change.path);
          return { ...c, ...(record ? { record } : {}) };
        }),
      };
    });
  const policyById = new Map<string, PolicyInfo>();
  for (const p of policies)
    if (p.policy.id && !policyById.has(p.policy.id)) policyById.set(p.policy.id, p);

  const readiness = input.asOf ? assessReadiness(repo, { asOf: input.asOf }) : undefined;
  // The exceptions as readiness assessed them: the same call, made once.
  const assessed = new Map((readiness?.exceptions ?? []).map((e) => [e.path, e]));
  const { facets, withException } = scanChanges(changes);
  const exceptions = withException.map((change): ExceptionInfo => {
    const record = recordLink(change.path);
    const status = assessed.get(change.path);
    const resolvedBy = status?.resolvedBy ? recordLink(status.resolvedBy.path) : undefined;
    return {
      change,
      ...(record ? { record } : {}),
      status: status?.state ?? "not-assessed",
      ...(status ? { due: status.due } : {}),
      ...(resolvedBy ? { resolvedBy } : {}),
      ...(status?.response ? { response: status.response } : {}),
    };
  });

  const latestRecord = sorted
    .map((r) => r.recordedAt)
    .filter((t): t is string => t !== undefined && parseTime(t) !== undefined)
    .sort((a, b) => parseTime(a)! - parseTime(b)!)
    .at(-1);

  return {
    input,
    ...(repo.program ? { program: repo.program } : {}),
    coverage,
    controls,
    controlById,
    policies,
    policyById,
    records,
    *recordPages() {
      for (const i of every)
        yield { page: pageAt(i), file: sorted[i]!.file.path, info: () => infoAt(i) };
    },
    recordsOfKind: new Map([...ofKind].map(([kind, list]) => [kind, listOf(list, infoAt)])),
    recordLink,
    changes,
    changeFacets: facets,
    exceptions,
    exceptionByPath: new Map(exceptions.map((e) => [e.change.path, e])),
    ...(latestRecord ? { latestRecord } : {}),
    criteriaInScope: new Set(coverage.rows.map((r) => r.criterion.id)),
    ...(readiness ? { readiness } : {}),
    pageRows: input.pageRows ?? PAGE_ROWS,
  };
}

/**
 * The latest date on which the repository records something happening (a record's recorded_at, a
 * policy review): a default as-of date that makes the site depend on the data alone. The audit's
 * own as_of is left out: it may be a date still to come.
 */
export function latestRepositoryDate(repo: Repository): string | undefined {
  const dates = [
    ...repo.evidence.map((r) => r.recordedAt),
    ...repo.policies.map((p) => p.lastReviewed),
  ]
    .map((t) => parseTime(t))
    .filter((ms): ms is number => ms !== undefined);
  return dates.length > 0
    ? new Date(dates.reduce((a, b) => Math.max(a, b))).toISOString().slice(0, 10)
    : undefined;
}

function policyStatus(nextReview: string | undefined, asOf: string | undefined): PolicyStatus {
  if (!asOf) return "not-assessed";
  // Never reviewed (no readable last_reviewed): overdue, as soc2 readiness reports it.
  if (!nextReview) return "overdue";
  const days = daysBetween(asOf, nextReview);
  return days < 0 ? "overdue" : days <= DUE_SOON_DAYS ? "due-soon" : "current";
}

function pageName(id: string | undefined, path: string): string {
  if (id && SIMPLE_NAME.test(id)) return id;
  return path.replace(/\.(ya?ml|md)$/i, "").replace(/\//g, "-");
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Each record's page, by its index in path order: `records/<path in the evidence folder>.html`,
 * or, for the few whose name another record already took (names that differ only in case), the
 * path the allocator gave. A function of its own so that the allocator, which holds every page's
 * name, is let go once the pages are allocated: only the moved pages are kept.
 */
function recordPageAllocation(sorted: readonly EvidenceRecord[], evidencePath: string) {
  const recordName = (record: EvidenceRecord) => {
    const inside = record.file.path.startsWith(`${evidencePath}/`)
      ? record.file.path.slice(evidencePath.length + 1)
      : record.file.path;
    return inside.replace(/\.ya?ml$/i, "");
  };
  const moved = new Map<number, string>();
  // A plain loop: a callback would put the allocator in the closure's context, which the
  // returned function keeps alive.
  const paths = new PathAllocator();
  for (const [i, record] of sorted.entries()) {
    const page = paths.take("records", recordName(record));
    if (page !== preferredPath("records", recordName(record))) moved.set(i, page);
  }
  return (i: number) => moved.get(i) ?? preferredPath("records", recordName(sorted[i]!));
}

const idOf = (record: EvidenceRecord) => record.id ?? record.file.path;

/** A list of indexes read as the items they stand for, made a slice at a time. */
function listOf<T>(indexes: readonly number[], at: (i: number) => T): Rows<T> {
  return {
    get length() {
      return indexes.length;
    },
    slice: (start, end) => indexes.slice(start, end).map(at),
  };
}

/**
 * The population and each record's facts (by its index in path order): as they streamed by, or
 * computed from the whole records (once each, as the whole records are in memory anyway).
 */
function recordFacts(input: PortalInput, sorted: readonly EvidenceRecord[]) {
  const streamed = input.streamed;
  if (streamed) {
    return {
      changes: streamed.changes,
      factsAt: (i: number) => {
        const record = sorted[i]!;
        return streamed.records.get(record.file.path) ?? portalRecordFacts(record, undefined);
      },
    };
  }
  const changes = allChanges(input.repository);
  const changeByPath = new Map(changes.map((c) => [c.path, c]));
  const facts = sorted.map((record) =>
    portalRecordFacts(record, changeByPath.get(record.file.path)),
  );
  return { changes, factsAt: (i: number) => facts[i]! };
}

/** One read of the population: its exceptions, its repositories and the span of its merge days. */
function scanChanges(changes: Rows<ChangeItem>) {
  const withException: ChangeItem[] = [];
  const repositories = new Set<string>();
  let firstDay: string | undefined;
  let lastDay: string | undefined;
  const step = 1000;
  for (let start = 0; start < changes.length; start += step) {
    for (const change of changes.slice(start, start + step)) {
      if (change.exception !== undefined) withException.push(change);
      repositories.add(change.repository);
      const day = change.mergedAt.slice(0, 10);
      if (firstDay === undefined || day < firstDay) firstDay = day;
      if (lastDay === undefined || day > lastDay) lastDay = day;
    }
  }
  return {
    withException,
    facets: {
      repositories: [...repositories].sort(),
      ...(firstDay === undefined ? {} : { firstDay, lastDay }),
    },
  };
}

/**
 * The whole parsed record: the one held in memory, or, for a record kept as a summary, the one
 * parsed from its text (which the adapter reads just before the record's page is made). One
 * parsed record is remembered for the whole site, so pages made one after another hold one.
 */
function wholeRecords(texts: PortalInput["recordTexts"]) {
  let last: { path: string; text: string; value: unknown } | undefined;
  return (record: EvidenceRecord) => (): unknown => {
    if (record.file.parsed.value !== undefined) return record.file.parsed.value;
    const path = record.file.path;
    const text = texts.get(path);
    if (text === undefined) return undefined;
    if (last?.path !== path || last.text !== text) {
      const bytes = new TextEncoder().encode(text);
      const value = loadSourceFile({ path, size: bytes.length, bytes }, "evidence").file?.parsed
        .value;
      last = { path, text, value };
    }
    return last.value;
  };
}

function readLink(chain: unknown): { sequence: number; previous: string | null } | undefined {
  const c = asObject(chain);
  if (!Number.isSafeInteger(c.sequence)) return undefined;
  const previous = c.previous === null ? null : asString(c.previous);
  return previous === undefined ? undefined : { sequence: c.sequence as number, previous };
}

/** When the fact a record states happened, from its content; recorded_at otherwise. */
function eventTime(
  kind: string,
  content: Record<string, unknown>,
  recordedAt: string | undefined,
): string | undefined {
  const candidates: Record<string, unknown> = {
    "change-record": asObject(content.change).merged_at,
    "review-event": content.occurred_at,
    "pull-request-event": content.occurred_at,
    attestation: content.performed_at,
    "settings-snapshot": content.captured_at,
    "drift-event": content.occurred_at,
  };
  const stated = asString(candidates[kind]);
  if (stated && parseTime(stated) !== undefined) return stated;
  return recordedAt && parseTime(recordedAt) !== undefined ? recordedAt : undefined;
}

const short = (sha: unknown) => (typeof sha === "string" ? sha.slice(0, 7) : "?");

/** One line that says what a record is about. Plain text: the caller escapes it. */
function summarize(
  kind: string,
  content: Record<string, unknown>,
  change: ChangeItem | undefined,
): string {
  if (kind === "change-record" && change) {
    const what =
      change.type === "direct-push"
        ? `direct push ${short(change.mergedSha)} to ${change.baseRef}${change.mergedBy ? ` by ${change.mergedBy}` : ""}`
        : `#${change.number ?? "?"} “${change.title}”${change.author ? ` by ${change.author}` : ""}${change.mergedBy ? `, merged by ${change.mergedBy}` : ""}`;
    const exception = change.exception ? `, exception (${change.exception.type})` : "";
    return `${change.repository}: ${what}; verdict ${change.verdict}${exception}`;
  }
  if (kind === "review-event") {
    const review = asObject(content.review);
    const pr = asObject(content.pull_request);
    const who = asString(asObject(review.reviewer).login) ?? "?";
    return `${who} ${String(review.state ?? content.action ?? "reviewed").toLowerCase()} #${String(pr.number ?? "?")} on ${short(review.commit_id)}`;
  }
  if (kind === "pull-request-event") {
    const pr = asObject(content.pull_request);
    const who = asString(asObject(content.actor).login);
    return `#${String(pr.number ?? "?")} ${String(content.action ?? "event")}${who ? ` by ${who}` : ""}`;
  }
  if (kind === "attestation") {
    const result = asString(content.result);
    return `${asString(content.title) ?? "attestation"}${result ? ` (${result})` : ""}`;
  }
  if (kind === "settings-snapshot") {
    return `${asString(content.system) ?? "?"}: ${asString(content.target) ?? "settings"}`;
  }
  if (kind === "drift-event") return driftEventSummary(content);
  return asString(content.title) ?? kind;
}
