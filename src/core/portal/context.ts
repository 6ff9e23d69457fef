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
import { PathAllocator, SIMPLE_NAME } from "./paths.js";
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
   * the population rows), when `repository` holds summaries of the records rather than their
   * content; without it, it is computed from the records.
   */
  streamed?: { changes: ChangeItem[]; records: ReadonlyMap<string, PortalRecordFacts> };
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
  };
}

/** One file of the site: a path relative to the site's root and its text. */
export interface SiteFile {
  path: string;
  content: string;
}

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
}

export interface ControlInfo {
  control: Control;
  page: string;
  /** The control's id, or its file path when it has none. */
  label: string;
  raw: Record<string, unknown>;
  records: RecordInfo[];
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
  changes: Array<PolicyChange & { record?: RecordInfo }>;
}

/**
 * As `soc2 readiness` and `soc2 report` judge it (assessExceptions): resolved by a later record,
 * awaiting its retrospective review (not due yet), or open (due and unresolved); not assessed
 * without an as-of date, or for a change merged after it.
 */
export type ExceptionStatus = ExceptionState | "not-assessed";

export interface ExceptionInfo {
  change: ChangeItem;
  record?: RecordInfo;
  status: ExceptionStatus;
  /** When the retrospective review is (or was) due: from the record, else merge plus the policy's hours. */
  due?: string;
  /** The record that resolves it: an approving review after the merge, or an attestation naming it. */
  resolvedBy?: RecordInfo;
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
  records: RecordInfo[];
  recordByPath: Map<string, RecordInfo>;
  recordByDigest: Map<string, RecordInfo>;
  /** The record whose chain link names a record digest: the next record in the chain. */
  recordAfter: Map<string, RecordInfo>;
  changes: ChangeItem[];
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

  const changes = input.streamed?.changes ?? allChanges(repo);
  const changeByPath = new Map(changes.map((c) => [c.path, c]));
  const findingsByPath = new Map<string, VerifyFinding[]>();
  for (const f of input.integrity.report.findings) {
    findingsByPath.set(f.path, [...(findingsByPath.get(f.path) ?? []), f]);
  }

  const wholeOf = wholeRecords(input.recordTexts);
  const records = [...repo.evidence]
    .sort((a, b) => byText(a.file.path, b.file.path))
    .map((record): RecordInfo => {
      const inside = record.file.path.startsWith(`${evidencePath}/`)
        ? record.file.path.slice(evidencePath.length + 1)
        : record.file.path;
      const change = changeByPath.get(record.file.path);
      const facts =
        input.streamed?.records.get(record.file.path) ?? portalRecordFacts(record, change);
      const whole = wholeOf(record);
      return {
        record,
        page: paths.take("records", inside.replace(/\.ya?ml$/i, "")),
        id: record.id ?? record.file.path,
        kind: record.kind ?? "unknown",
        whole: () => asObject(whole()),
        ...facts,
        ...(change ? { change } : {}),
        findings: findingsByPath.get(record.file.path) ?? [],
      };
    });
  const recordByPath = new Map(records.map((r) => [r.record.file.path, r]));
  const recordByDigest = new Map<string, RecordInfo>();
  const recordAfter = new Map<string, RecordInfo>();
  for (const r of records) {
    if (!r.link) continue;
    recordByDigest.set(r.recordDigest, r);
    if (r.link.previous !== null && !recordAfter.has(r.link.previous))
      recordAfter.set(r.link.previous, r);
  }

  const controls = [...repo.controls]
    .sort((a, b) => byText(a.id ?? `~${a.file.path}`, b.id ?? `~${b.file.path}`))
    .map((control): ControlInfo => ({
      control,
      page: paths.take("controls", pageName(control.id, control.file.path)),
      label: control.id ?? control.file.path,
      raw: asObject(control.file.parsed.value),
      records: [],
    }));
  const controlById = new Map<string, ControlInfo>();
  for (const c of controls)
    if (c.control.id && !controlById.has(c.control.id)) controlById.set(c.control.id, c);
  for (const r of records) {
    for (const id of new Set(r.record.controls)) controlById.get(id)?.records.push(r);
  }
  for (const c of controls) c.records.sort(byWhen);

  const changesByPolicy = policyChanges(repo, changes);
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
          const record = recordByPath.get(c.change.path);
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
  const exceptions = changes
    .filter((c) => c.exception !== undefined)
    .map((change): ExceptionInfo => {
      const record = recordByPath.get(change.path);
      const status = assessed.get(change.path);
      const resolvedBy = status?.resolvedBy ? recordByPath.get(status.resolvedBy.path) : undefined;
      return {
        change,
        ...(record ? { record } : {}),
        status: status?.state ?? "not-assessed",
        ...(status ? { due: status.due } : {}),
        ...(resolvedBy ? { resolvedBy } : {}),
        ...(status?.response ? { response: status.response } : {}),
      };
    });

  const latestRecord = records
    .map((r) => r.record.recordedAt)
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
    recordByPath,
    recordByDigest,
    recordAfter,
    changes,
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

function byWhen(a: RecordInfo, b: RecordInfo): number {
  const ta = parseTime(a.when) ?? Number.POSITIVE_INFINITY;
  const tb = parseTime(b.when) ?? Number.POSITIVE_INFINITY;
  return ta - tb || byText(a.record.file.path, b.record.file.path);
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
