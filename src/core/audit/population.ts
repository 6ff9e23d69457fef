import type { EvidenceRecord, Repository } from "../model.js";
import {
  asObject as obj,
  asString as str,
  asList as arr,
  type JsonObject as Json,
} from "../json-read.js";

/** One change that reached a protected branch, as an auditor samples it: a row of the population. */
export interface ChangeItem {
  /** The change record's id (its path under the evidence folder, without .yml). */
  id: string;
  /** The record file, from the repository root. */
  path: string;
  repository: string;
  type: "pull-request" | "direct-push";
  number?: number;
  title: string;
  url?: string;
  author?: string;
  authorId?: number;
  /** Logins of the reviewers whose latest review approved the merged head commit. */
  approvers: string[];
  /** The head commit the change was merged from. */
  headSha?: string;
  /** True when an approval is on the head commit that was merged (approved commit = merged commit). */
  approvedHead: boolean;
  mergedSha: string;
  /** ISO 8601 timestamp. */
  mergedAt: string;
  mergedBy?: string;
  mergeMethod?: string;
  baseRef: string;
  tickets: string[];
  /** name=conclusion for each check on the head. */
  checks: string[];
  checksPassed: boolean;
  verdict: "pass" | "fail" | "pending" | "unknown";
  exception?: { type: string; reason: string; retrospectiveReviewDue?: string };
  controls: string[];
  recordedAt: string;
  /**
   * True when the record carries a chain link. Every change record the App writes does; one
   * without (filed by hand: validate's evidence-unchained, verify's unchained-record) stays in the
   * population, marked, so the auditor sees it rather than a population that silently shrank.
   */
  chained: boolean;
}

export interface PopulationFilter {
  /** First and last day (YYYY-MM-DD, inclusive, UTC). */
  from: string;
  to: string;
  /** owner/name: only changes to this repository. */
  repository?: string;
}

/** Every change record of the repository, as population rows, in merge order. */
export function allChanges(repo: Repository): ChangeItem[] {
  return inMergeOrder(
    repo.evidence.map(changeItemOf).filter((c): c is ChangeItem => c !== undefined),
  );
}

/** Population rows sorted as the population lists them: by merge time, then id. */
export function inMergeOrder<T extends MergeOrderKey>(items: T[]): T[] {
  return items.sort(byMergeOrder);
}

/** What the population is sorted by: merge time, then record id. */
export interface MergeOrderKey {
  mergedAt: string;
  id: string;
}

export function byMergeOrder(a: MergeOrderKey, b: MergeOrderKey): number {
  return byMergeTime(a.mergedAt, b.mergedAt) || a.id.localeCompare(b.id);
}

/** Merge times compared as byMergeOrder compares them first: as text. */
export function byMergeTime(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The changes merged in a period (by merge date, UTC), optionally for one repository. */
export function changePopulation(repo: Repository, filter: PopulationFilter): ChangeItem[] {
  return allChanges(repo).filter((c) => inPopulation(c, filter));
}

/** Whether a change was merged in the period (UTC days) and, when one is named, in the repository. */
export function inPopulation(c: ChangeItem, filter: PopulationFilter): boolean {
  const day = c.mergedAt.slice(0, 10);
  return (
    day >= filter.from &&
    day <= filter.to &&
    (filter.repository === undefined ||
      c.repository.toLowerCase() === filter.repository.toLowerCase())
  );
}

/** A record's population row: undefined unless it is a change record that says what it merged. */
export function changeItemOf(record: EvidenceRecord): ChangeItem | undefined {
  return record.kind === "change-record" ? changeItem(record) : undefined;
}

function changeItem(record: EvidenceRecord): ChangeItem | undefined {
  const content = obj(record.content);
  const change = obj(content.change);
  const mergedSha = str(change.merged_sha);
  const mergedAt = str(change.merged_at);
  if (!record.id || !mergedSha || !mergedAt) return undefined;
  const headSha = str(change.head_sha);
  const latest = new Map<number, Json>();
  for (const review of arr(content.reviews).map(obj)) {
    const id = Number(obj(review.reviewer).id);
    if (review.state === "COMMENTED") continue; // a comment neither grants nor withdraws approval
    latest.set(id, review);
  }
  const approvals = [...latest.values()].filter(
    (r) =>
      r.state === "APPROVED" &&
      r.dismissed !== true &&
      (headSha === undefined || r.commit_id === headSha),
  );
  const checks = arr(content.checks).map(obj);
  const verdict = str(obj(content.verdict).result);
  const exception = content.exception ? obj(content.exception) : undefined;
  const author = obj(change.author);
  return {
    id: record.id,
    path: record.file.path,
    repository: str(obj(content.repository).full_name) ?? "",
    type: change.type === "direct-push" ? "direct-push" : "pull-request",
    ...(typeof change.number === "number" ? { number: change.number } : {}),
    title: str(change.title) ?? "",
    ...(str(change.url) ? { url: str(change.url)! } : {}),
    ...(str(author.login) ? { author: str(author.login)!, authorId: Number(author.id) } : {}),
    approvers: approvals
      .map((r) => str(obj(r.reviewer).login) ?? "")
      .filter(Boolean)
      .sort(),
    ...(headSha ? { headSha } : {}),
    approvedHead: approvals.length > 0,
    mergedSha,
    mergedAt,
    ...(str(obj(change.merged_by).login) ? { mergedBy: str(obj(change.merged_by).login)! } : {}),
    ...(str(change.merge_method) ? { mergeMethod: str(change.merge_method)! } : {}),
    baseRef: str(change.base_ref) ?? "",
    tickets: arr(content.tickets).filter((t): t is string => typeof t === "string"),
    checks: checks.map((c) => `${str(c.name) ?? "?"}=${str(c.conclusion) ?? "?"}`),
    checksPassed:
      checks.length > 0 &&
      checks.every((c) => ["success", "neutral", "skipped"].includes(str(c.conclusion) ?? "")),
    verdict:
      verdict === "pass" || verdict === "fail" || verdict === "pending" ? verdict : "unknown",
    ...(exception
      ? {
          exception: {
            type: str(exception.type) ?? "exception",
            reason: str(exception.reason) ?? "",
            ...(str(exception.retrospective_review_due)
              ? { retrospectiveReviewDue: str(exception.retrospective_review_due)! }
              : {}),
          },
        }
      : {}),
    controls: record.controls,
    recordedAt: record.recordedAt ?? "",
    chained: record.chained === true,
  };
}

/** A population as a table (CSV, XLSX, a web page): one row per change, exceptions marked. */
export interface PopulationTable {
  /** date: the column holds UTC timestamps (ISO 8601), which a spreadsheet should store as dates. */
  columns: Array<{ key: string; header: string; width: number; link?: boolean; date?: boolean }>;
  /** Made as they are read, so a writer can stream them: iterate them once. */
  rows: Iterable<PopulationRow>;
}

export interface PopulationRow {
  values: Array<string | number>;
  /** True for an exception (a row to highlight). */
  exception: boolean;
}

const yesNo = (v: boolean) => (v ? "yes" : "no");

const POPULATION_COLUMNS: Array<{
  key: string;
  header: string;
  width: number;
  link?: boolean;
  date?: boolean;
  value: (c: ChangeItem) => string | number;
}> = [
  { key: "record", header: "record", width: 44, value: (c) => c.id },
  { key: "path", header: "record file", width: 50, value: (c) => c.path },
  { key: "repository", header: "repository", width: 24, value: (c) => c.repository },
  {
    key: "type",
    header: "type",
    width: 13,
    value: (c) => (c.type === "direct-push" ? "direct push" : "pull request"),
  },
  { key: "number", header: "number", width: 8, value: (c) => c.number ?? "" },
  { key: "title", header: "title", width: 40, value: (c) => c.title },
  { key: "url", header: "url", width: 40, link: true, value: (c) => c.url ?? "" },
  { key: "author", header: "author", width: 14, value: (c) => c.author ?? "" },
  { key: "approvers", header: "approvers", width: 16, value: (c) => c.approvers.join("; ") },
  {
    key: "approvedHead",
    header: "approved commit = merged head",
    width: 12,
    value: (c) => yesNo(c.approvedHead),
  },
  { key: "headSha", header: "head sha", width: 42, value: (c) => c.headSha ?? "" },
  { key: "mergedSha", header: "merged sha", width: 42, value: (c) => c.mergedSha },
  { key: "mergedAt", header: "merged at", width: 22, date: true, value: (c) => c.mergedAt },
  { key: "mergedBy", header: "merged by", width: 14, value: (c) => c.mergedBy ?? "" },
  { key: "mergeMethod", header: "merge method", width: 10, value: (c) => c.mergeMethod ?? "" },
  { key: "baseRef", header: "branch", width: 10, value: (c) => c.baseRef },
  { key: "tickets", header: "tickets", width: 14, value: (c) => c.tickets.join("; ") },
  { key: "checksPassed", header: "checks passed", width: 9, value: (c) => yesNo(c.checksPassed) },
  { key: "checks", header: "checks", width: 24, value: (c) => c.checks.join("; ") },
  { key: "verdict", header: "verdict", width: 9, value: (c) => c.verdict },
  { key: "exception", header: "exception", width: 10, value: (c) => yesNo(!!c.exception) },
  {
    key: "exceptionType",
    header: "exception type",
    width: 14,
    value: (c) => c.exception?.type ?? "",
  },
  {
    key: "exceptionReason",
    header: "exception reason",
    width: 50,
    value: (c) => c.exception?.reason ?? "",
  },
  {
    key: "retrospectiveReviewDue",
    header: "retrospective review due",
    width: 22,
    date: true,
    value: (c) => c.exception?.retrospectiveReviewDue ?? "",
  },
  { key: "controls", header: "controls", width: 10, value: (c) => c.controls.join("; ") },
  { key: "recordedAt", header: "recorded at", width: 22, date: true, value: (c) => c.recordedAt },
  {
    key: "chained",
    header: "in hash chain",
    width: 10,
    value: (c) => (c.chained ? "yes" : "no: not written by the App"),
  },
];

/**
 * The population's rows and columns, lists joined with "; ", yes/no for flags. The rows are made
 * one by one as the writer reaches them, from items that may themselves be read one by one.
 */
export function populationTable(items: Iterable<ChangeItem>): PopulationTable {
  return {
    columns: POPULATION_COLUMNS.map(({ key, header, width, link, date }) => ({
      key,
      header,
      width,
      ...(link ? { link } : {}),
      ...(date ? { date } : {}),
    })),
    rows: populationRows(items),
  };
}

function* populationRows(items: Iterable<ChangeItem>): Generator<PopulationRow> {
  for (const c of items)
    yield {
      values: POPULATION_COLUMNS.map((col) => col.value(c)),
      exception: c.exception !== undefined,
    };
}
