import type { EvidenceRecord, ExceptionReview, Repository } from "../model.js";
import { dayOf, evidenceDay, type Day } from "./readiness-dates.js";
import { asObject as obj, asString as str } from "../json-read.js";

/** Hours allowed for a retrospective review when neither the record nor soc2.yml says. */
export const DEFAULT_RETROSPECTIVE_REVIEW_HOURS = 48;

export type ExceptionState = "resolved" | "awaiting-review" | "open";

/** A change that reached a protected branch without meeting the policy, and its follow-up. */
export interface ExceptionStatus {
  /** The change record's id. */
  id: string;
  path: string;
  type: string;
  reason: string;
  repository: string;
  number?: number;
  mergedAt: string;
  /** When the retrospective review is (or was) due: from the record, else merge + the policy's hours. */
  due: string;
  /** resolved: a later record resolves it; awaiting-review: not due yet; open: due or past due, unresolved. */
  state: ExceptionState;
  /** The record that resolves it (kind exception-review: the review file, by its path). */
  resolvedBy?: { id: string; path: string; kind: string; on: Day };
  /** Management's response, from exceptions/<id>.yml, once reviewed by the as-of date. */
  response?: ExceptionResponse;
}

/** What an exceptions/<record>.yml file says, as the reports list it. */
export interface ExceptionResponse {
  path: string;
  reviewedOn: Day;
  reviewedBy: string[];
  managementResponse: string;
  rootCause?: string;
  remediation?: string;
  remediatedOn?: string;
  links: string[];
}

/**
 * Every exception recorded on a change merged by the as-of date, and whether it is resolved: by an
 * approving review submitted on the same pull request after the merge by someone other than its
 * author (a review-event record), or by an attestation performed on or after the merge day whose
 * title, summary or findings name the change record's id, or by its review file
 * (exceptions/<id>.yml) reviewed on or after the merge day. Each must be dated by the as-of date;
 * the earliest resolves it.
 */
export function assessExceptions(repo: Repository, asOf: Day): ExceptionStatus[] {
  const hours = retrospectiveHours(repo);
  const reviews = new Map(
    (repo.exceptionReviews ?? []).flatMap((r) => (r.record ? [[r.record, r] as const] : [])),
  );
  const out: ExceptionStatus[] = [];
  for (const record of repo.evidence) {
    if (record.kind !== "change-record" || !record.id) continue;
    const content = obj(record.content);
    if (content.exception === undefined) continue;
    const exception = obj(content.exception);
    const change = obj(content.change);
    const mergedAt = str(change.merged_at);
    const mergedMs = mergedAt === undefined ? NaN : Date.parse(mergedAt);
    if (!mergedAt || !Number.isFinite(mergedMs) || dayOf(mergedAt)! > asOf) continue;
    const recordedDue =
      str(exception.retrospective_review_due) ??
      str(obj(obj(content.verdict).exception).retrospective_review_due);
    const dueMs =
      recordedDue !== undefined && Number.isFinite(Date.parse(recordedDue))
        ? Date.parse(recordedDue)
        : mergedMs + hours * 3_600_000;
    const due = new Date(dueMs).toISOString().replace(/\.000Z$/, "Z");
    const repository = str(obj(content.repository).full_name) ?? "";
    const number = typeof change.number === "number" ? change.number : undefined;
    const authorId = obj(change.author).id;
    const response = responseOf(reviews.get(record.id), dayOf(mergedAt)!, asOf);
    const resolution = findResolution(
      repo.evidence,
      {
        id: record.id,
        repository,
        number: change.type === "direct-push" ? undefined : number,
        authorId: typeof authorId === "number" ? authorId : undefined,
        mergedMs,
        asOf,
      },
      response,
    );
    const state: ExceptionState = resolution
      ? "resolved"
      : due.slice(0, 10) <= asOf
        ? "open"
        : "awaiting-review";
    out.push({
      id: record.id,
      path: record.file.path,
      type: str(exception.type) ?? "exception",
      reason: str(exception.reason) ?? "",
      repository,
      ...(number === undefined ? {} : { number }),
      mergedAt: new Date(mergedMs).toISOString().replace(/\.000Z$/, "Z"),
      due,
      state,
      ...(resolution ? { resolvedBy: resolution } : {}),
      ...(response ? { response } : {}),
    });
  }
  return out.sort((a, b) => (a.mergedAt < b.mergedAt ? -1 : a.mergedAt > b.mergedAt ? 1 : 0));
}

/** The review file's content, when it is dated between the merge day and the as-of date. */
function responseOf(
  review: ExceptionReview | undefined,
  mergedOn: Day,
  asOf: Day,
): ExceptionResponse | undefined {
  const on = review?.reviewedOn;
  if (!review || !on || on < mergedOn || on > asOf) return undefined;
  return {
    path: review.file.path,
    reviewedOn: on,
    reviewedBy: review.reviewedBy.map((p) => `${p.name} (${p.role})`),
    managementResponse: review.managementResponse,
    ...(review.rootCause ? { rootCause: review.rootCause } : {}),
    ...(review.remediation ? { remediation: review.remediation } : {}),
    ...(review.remediatedOn ? { remediatedOn: review.remediatedOn } : {}),
    links: review.links,
  };
}

function retrospectiveHours(repo: Repository): number {
  const hours = obj(
    obj(obj(repo.program?.raw).change_management).emergency,
  ).retrospective_review_hours;
  return typeof hours === "number" && hours > 0 ? hours : DEFAULT_RETROSPECTIVE_REVIEW_HOURS;
}

interface Target {
  id: string;
  repository: string;
  number: number | undefined;
  authorId: number | undefined;
  mergedMs: number;
  asOf: Day;
}

/**
 * The earliest of the records that resolve the exception and its review file (already limited to
 * the merge day through the as-of date); on the same day a record comes first.
 */
function findResolution(
  records: readonly EvidenceRecord[],
  target: Target,
  response: ExceptionResponse | undefined,
): ExceptionStatus["resolvedBy"] {
  const candidates = records.flatMap((record) => {
    const on = evidenceDay(record);
    if (!record.id || on === undefined || on > target.asOf) return [];
    const resolves =
      record.kind === "review-event"
        ? approvesAfterMerge(record, target)
        : record.kind === "attestation" && namesChange(record, target, on);
    return resolves ? [{ id: record.id, path: record.file.path, kind: record.kind!, on }] : [];
  });
  if (response) {
    const { path, reviewedOn: on } = response;
    candidates.push({ id: path, path, kind: "exception-review", on });
  }
  return candidates.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))[0];
}

function approvesAfterMerge(record: EvidenceRecord, target: Target): boolean {
  if (target.number === undefined) return false;
  const c = obj(record.content);
  const review = obj(c.review);
  const submitted = Date.parse(str(review.submitted_at) ?? str(c.occurred_at) ?? "");
  const reviewer = obj(review.reviewer).id;
  return (
    (str(obj(c.repository).full_name) ?? "").toLowerCase() === target.repository.toLowerCase() &&
    obj(c.pull_request).number === target.number &&
    c.action === "submitted" &&
    review.state === "APPROVED" &&
    review.dismissed !== true &&
    Number.isFinite(submitted) &&
    submitted > target.mergedMs &&
    (target.authorId === undefined || reviewer !== target.authorId)
  );
}

function namesChange(record: EvidenceRecord, target: Target, on: Day): boolean {
  if (on < new Date(target.mergedMs).toISOString().slice(0, 10)) return false;
  const c = obj(record.content);
  const findings = Array.isArray(c.findings) ? c.findings.map(obj) : [];
  const text = [c.title, c.summary, ...findings.flatMap((f) => [f.description, f.remediation])]
    .filter((t): t is string => typeof t === "string")
    .join("\n");
  return new RegExp(`(^|[^A-Za-z0-9._/-])${escape(target.id)}($|[^A-Za-z0-9_/-])`).test(text);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
