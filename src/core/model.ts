import { CATEGORIES, type Category } from "./criteria.js";
import { FRAMEWORK_IDS, type FrameworkId } from "./frameworks/framework.js";
import type { LoadedFile } from "./source-file.js";
import { asObject, asString, asStrings } from "./json-read.js";
import type { AuditRequest } from "./requests/request.js";

/**
 * The compliance repository as the checks and reports see it. Fields are read leniently from
 * each file's value (a file with a schema error still contributes what is readable), so that one
 * typo does not cascade into dozens of unrelated errors.
 */
export interface Repository {
  program?: Program;
  controls: Control[];
  policies: Policy[];
  evidence: EvidenceRecord[];
  /** Access reviews (access-reviews/<period>.yaml); absent when none was read. */
  accessReviews?: AccessReviewFile[];
  /** Retrospective reviews of exceptions (exceptions/*.yml); absent when none were read. */
  exceptionReviews?: ExceptionReview[];
  /** The auditors' request lists (audit/<period>/requests/), when the repository has any. */
  requests?: AuditRequest[];
}

/** An access-review file, its value as read (schemas/access-review.schema.json). */
export interface AccessReviewFile {
  file: LoadedFile;
  value: unknown;
}

/** An exceptions/<record>.yml file: management's response to the exception a change record carries. */
export interface ExceptionReview {
  file: LoadedFile;
  record?: string;
  reviewedOn?: string;
  reviewedBy: Array<{ name: string; role: string; github?: string }>;
  managementResponse: string;
  rootCause?: string;
  remediation?: string;
  remediatedOn?: string;
  links: string[];
}

export type Frequency =
  "per-occurrence" | "daily" | "weekly" | "monthly" | "quarterly" | "annually";
export const FREQUENCIES: readonly Frequency[] = [
  "per-occurrence",
  "daily",
  "weekly",
  "monthly",
  "quarterly",
  "annually",
];

export interface Program {
  file: LoadedFile;
  organization: string;
  systemName: string;
  categories: Category[];
  notApplicable: Array<{ criterion: string; justification: string; index: number }>;
  owners: string[];
  audit: { type?: 1 | 2; asOf?: string; period?: { start: string; end: string } };
  evidencePath: string;
  raw: Record<string, unknown>;
}

export interface Control {
  file: LoadedFile;
  id?: string;
  title: string;
  criteria: string[];
  owner?: string;
  frequency?: Frequency;
  automation?: "automated" | "manual";
  status: "implemented" | "in-progress" | "planned";
  policies: string[];
  evidence: Array<{ kind: string; description: string; maxAgeDays?: number }>;
  /** Controls of other frameworks the control cites directly (frameworks: in its file). */
  frameworks: Record<FrameworkId, string[]>;
}

export interface Policy {
  file: LoadedFile;
  id?: string;
  title: string;
  owner?: string;
  version?: string;
  reviewCadence?: string;
  lastReviewed?: string;
  /** draft: not approved yet, so not in force (soc2 init scaffolds drafts); approved otherwise. */
  status: "draft" | "approved";
  /** Who approved the current version, as the front matter states it. */
  approvedBy?: string;
  criteria: string[];
  body: string;
}

export interface EvidenceRecord {
  file: LoadedFile;
  id?: string;
  kind?: string;
  controls: string[];
  recordedAt?: string;
  digest?: string;
  content: unknown;
  /** source.type: who claims to have written the record (github-app, manual, …). */
  sourceType?: string;
  /** True when the record carries a chain link (it was written into the hash chain by a store). */
  chained?: boolean;
}

// The lenient readers the checks use, from their one home.
export { asObject, asString, asStrings } from "./json-read.js";

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

export const DEFAULT_EVIDENCE_PATH = "evidence";
export const EVIDENCE_KINDS: readonly string[] = [
  "change-record",
  "review-event",
  "pull-request-event",
  "attestation",
  "settings-snapshot",
  "drift-event",
];

export function readProgram(file: LoadedFile): Program {
  const raw = asObject(file.parsed.value);
  const scope = asObject(raw.scope);
  const audit = asObject(raw.audit);
  const period = asObject(audit.period);
  const na = Array.isArray(scope.not_applicable) ? scope.not_applicable : [];
  const type = audit.type === 1 || audit.type === 2 ? audit.type : undefined;
  const start = asString(period.start);
  const end = asString(period.end);
  const asOf = asString(audit.as_of);
  return {
    file,
    organization: asString(asObject(raw.organization).name) ?? "",
    systemName: asString(asObject(raw.system).name) ?? "",
    categories: asStrings(scope.categories).filter((c): c is Category =>
      (CATEGORIES as readonly string[]).includes(c),
    ),
    notApplicable: na.flatMap((entry, index) => {
      const e = asObject(entry);
      const criterion = asString(e.criterion);
      return criterion
        ? [{ criterion, justification: asString(e.justification) ?? "", index }]
        : [];
    }),
    owners: Object.keys(asObject(raw.owners)),
    audit: {
      ...(type ? { type } : {}),
      ...(asOf ? { asOf } : {}),
      ...(start && end ? { period: { start, end } } : {}),
    },
    evidencePath: evidencePathOf(raw),
    raw,
  };
}

/** Where evidence records live, from soc2.yml's evidence.path (normalized, no leading or trailing slash). */
export function evidencePathOf(programValue: unknown): string {
  const configured = asString(asObject(asObject(programValue).evidence).path);
  const cleaned = (configured ?? DEFAULT_EVIDENCE_PATH)
    .replace(/\\/g, "/")
    .replace(/^\.?\/+|\/+$/g, "");
  return cleaned === "" || cleaned.split("/").includes("..") ? DEFAULT_EVIDENCE_PATH : cleaned;
}

export function readControl(file: LoadedFile): Control {
  const raw = asObject(file.parsed.value);
  const id = asString(raw.id);
  const owner = asString(raw.owner);
  const frequency = oneOf(raw.frequency, FREQUENCIES);
  const automation = oneOf(raw.automation, ["automated", "manual"] as const);
  return {
    file,
    ...(id ? { id } : {}),
    title: asString(raw.title) ?? "",
    criteria: asStrings(raw.criteria),
    ...(owner ? { owner } : {}),
    ...(frequency ? { frequency } : {}),
    ...(automation ? { automation } : {}),
    status: oneOf(raw.status, ["implemented", "in-progress", "planned"] as const) ?? "implemented",
    policies: asStrings(raw.policies),
    evidence: (Array.isArray(raw.evidence) ? raw.evidence : []).map((e) => {
      const o = asObject(e);
      const maxAgeDays = typeof o.max_age_days === "number" ? o.max_age_days : undefined;
      return {
        kind: asString(o.kind) ?? "",
        description: asString(o.description) ?? "",
        ...(maxAgeDays ? { maxAgeDays } : {}),
      };
    }),
    frameworks: readFrameworks(raw.frameworks),
  };
}

function readFrameworks(value: unknown): Record<FrameworkId, string[]> {
  const o = asObject(value);
  return Object.fromEntries(FRAMEWORK_IDS.map((id) => [id, asStrings(o[id])])) as Record<
    FrameworkId,
    string[]
  >;
}

/** Reads optional text fields of a file's mapping: `{ name: value }` when present, `{}` when not. */
function optionalText(raw: Record<string, unknown>) {
  return (name: string, key: string = name) => {
    const value = asString(raw[key]);
    return value === undefined ? {} : { [name]: value };
  };
}

export function readPolicy(file: LoadedFile): Policy {
  const raw = asObject(file.parsed.value);
  const optional = optionalText(raw);
  return {
    file,
    ...optional("id"),
    title: asString(raw.title) ?? "",
    ...optional("owner"),
    ...optional("version"),
    ...optional("reviewCadence", "review_cadence"),
    ...optional("lastReviewed", "last_reviewed"),
    status: raw.status === "draft" ? "draft" : "approved",
    ...optional("approvedBy", "approved_by"),
    criteria: asStrings(raw.criteria),
    body: file.body ?? "",
  };
}

export function readEvidence(file: LoadedFile): EvidenceRecord {
  const raw = asObject(file.parsed.value);
  const optional = optionalText(raw);
  return {
    file,
    ...optional("id"),
    ...optional("kind"),
    controls: asStrings(raw.controls),
    ...optional("recordedAt", "recorded_at"),
    ...optional("digest"),
    content: raw.content,
    ...(typeof asObject(raw.source).type === "string"
      ? { sourceType: asObject(raw.source).type as string }
      : {}),
    chained: raw.chain !== undefined,
  };
}

export function readExceptionReview(file: LoadedFile): ExceptionReview {
  const raw = asObject(file.parsed.value);
  const optional = optionalText(raw);
  const people = Array.isArray(raw.reviewed_by) ? raw.reviewed_by.map(asObject) : [];
  return {
    file,
    ...optional("record"),
    ...optional("reviewedOn", "reviewed_on"),
    reviewedBy: people.map((p) => ({
      name: asString(p.name) ?? "",
      role: asString(p.role) ?? "",
      ...(typeof p.github === "string" ? { github: p.github } : {}),
    })),
    managementResponse: asString(raw.management_response) ?? "",
    ...optional("rootCause", "root_cause"),
    ...optional("remediation"),
    ...optional("remediatedOn", "remediated_on"),
    links: asStrings(raw.links),
  };
}
