import { checkProgramDates, dateChecker } from "./checks/dates.js";
import { checkEvidenceChain } from "./checks/evidence-chain.js";
import { checkEvidencePath } from "./checks/evidence-path.js";
import { evidenceRecordChecker } from "./checks/evidence-records.js";
import { bytesDigest } from "./digest.js";
import { retainRecord } from "./evidence-retention.js";
import { checkAccessReviews } from "./checks/access-reviews.js";
import { checkFrameworkReferences } from "./checks/framework-references.js";
import { checkExceptionReviews } from "./checks/exception-reviews.js";
import { checkMonitoring } from "./checks/monitoring.js";
import { checkOwnersHavePeople, checkPlaceholders } from "./checks/placeholders.js";
import { checkPolicies } from "./checks/policies.js";
import { checkReferences } from "./checks/references.js";
import { checkScope } from "./checks/scope.js";
import { checkUniqueIds } from "./checks/unique-ids.js";
import { compareDiagnostics, diagnostic, FILE_START, type Diagnostic } from "./diagnostics.js";
import { classifyPath, PROGRAM_FILE } from "./layout.js";
import {
  evidencePathOf,
  readControl,
  readEvidence,
  readExceptionReview,
  readPolicy,
  readProgram,
  type EvidenceRecord,
  type Repository,
} from "./model.js";
import { loadSourceFile, type SourceFile } from "./source-file.js";
import { answeredPaths, checkRequests, digestAnswersFrom } from "./requests/check.js";
import { readRequest } from "./requests/request.js";

export interface ValidationResult {
  repository: Repository;
  diagnostics: Diagnostic[];
}

export interface ValidateOptions {
  /** The moment "now" for checks of dates; passed in so that the core stays pure and tests are stable. */
  now: Date;
  /**
   * The evidence folder to use instead of the one soc2.yml names: the Action passes the base
   * commit's, so that a pull request cannot move the folder away from the records it adds.
   */
  evidencePath?: string;
  /** Whether the evidence folder exists (known to the adapter); undefined: not checked. */
  evidenceFolderExists?: boolean;
  /**
   * Only some evidence records were read (a pull request's check reads those it adds): checks
   * that need every record, such as an exception review's record existing, are skipped.
   */
  partialEvidence?: boolean;
  /**
   * What is kept of each evidence record once it is checked: "full" (the parsed record, which the
   * reports read) or "summary" (what the checks across records need: its id, kind, controls and
   * chain link, and the few content fields that other files refer to). Default "full".
   */
  retain?: EvidenceRetention;
  /**
   * Reads a file again, for the position of a finding made after its text was let go. Given by
   * an adapter that streams records; without it each record's text is kept for its positions.
   */
  reread?: (path: string) => Uint8Array | undefined;
  /**
   * Called with each loaded record, whole, before it is reduced to what `retain` keeps: a report
   * takes what it needs of each (a population row, an index row) as the records stream by. What
   * it keeps should be `detach`ed, so that it holds no slice of the record's text.
   */
  onRecord?: (record: EvidenceRecord) => void;
}

/**
 * "full", "summary", or a summary whose content is what `content` picks of each record: a report
 * that reads a few fields of each record's content keeps only those (e.g. readinessContent).
 */
export type EvidenceRetention =
  "full" | "summary" | { content: (record: EvidenceRecord) => unknown };

/** What checking one evidence record found, and what of it the validation keeps. */
export interface CheckedEvidence {
  path: string;
  diagnostics: Diagnostic[];
  /** The record as `retain` keeps it; undefined when it could not be loaded. */
  record?: EvidenceRecord;
  /** Set when a request's answer points at this file: the digest of its bytes (null: unread). */
  answerDigest?: string | null;
}

/** A validation fed evidence records one at a time, so that no more than one is read at once. */
export interface RepositoryValidation {
  /** The evidence folder the validation classifies records by. */
  readonly evidencePath: string;
  /** Loads and checks one evidence record; the caller lets go of its bytes afterwards. */
  addEvidence(source: SourceFile): void;
  /**
   * Loads and checks one evidence record without adding it: a thread that checks records in
   * parallel (`soc2 validate` on many records) calls this, and the validation that gathers the
   * results calls addChecked. The same checks as addEvidence, so both reach the same findings.
   */
  checkEvidence(source: SourceFile): CheckedEvidence;
  /** Adds a record checked by checkEvidence (here or in another thread). */
  addChecked(checked: CheckedEvidence): void;
  /** The checks across files, once every record is added. */
  finish(): ValidationResult;
}

/**
 * Validates a compliance repository: each file against its schema, then the checks across files
 * (IDs, references, scope and coverage, dates, evidence digests). Never throws on bad data.
 */
export function validateRepository(
  files: readonly SourceFile[],
  options: ValidateOptions,
): ValidationResult {
  return startValidation(files, options).finish();
}

/**
 * Starts a validation with the repository's files other than its evidence records (soc2.yml,
 * controls, policies, reviews, request lists, answered files); records among `files` are added
 * too. An adapter streams the rest through addEvidence: each record is checked on its own as it
 * arrives and only what `retain` says is kept, so memory does not grow with the records' size.
 */
export function startValidation(
  files: readonly SourceFile[],
  options: ValidateOptions,
): RepositoryValidation {
  const diagnostics: Diagnostic[] = [];
  const repository: Repository = { controls: [], policies: [], evidence: [] };

  const programSource = files.find((f) => f.path === PROGRAM_FILE);
  if (programSource) {
    const loaded = loadSourceFile(programSource, "program");
    diagnostics.push(...loaded.diagnostics);
    // A soc2.yml that is not a mapping is reported by its schema; checks that need it are skipped.
    if (loaded.file && isMapping(loaded.file.parsed.value)) {
      repository.program = readProgram(loaded.file);
    }
  } else {
    diagnostics.push(
      diagnostic(
        PROGRAM_FILE,
        FILE_START,
        "error",
        "missing-program",
        "no soc2.yml at the repository root: create one, or run `soc2 init` to scaffold a repository",
      ),
    );
  }
  const evidencePath =
    options.evidencePath ?? repository.program?.evidencePath ?? evidencePathOf(undefined);
  if (repository.program && options.evidencePath !== undefined)
    repository.program = { ...repository.program, evidencePath: options.evidencePath };

  const records: SourceFile[] = [];
  for (const source of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const format = classifyPath(source.path, evidencePath);
    if (format === undefined || format === "program") continue;
    if (format === "evidence") {
      records.push(source);
      continue;
    }
    const loaded = loadSourceFile(source, format);
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.file) continue;
    if (format === "control") repository.controls.push(readControl(loaded.file));
    else if (format === "policy") repository.policies.push(readPolicy(loaded.file));
    else if (format === "access-review")
      (repository.accessReviews ??= []).push({
        file: loaded.file,
        value: loaded.file.parsed.value,
      });
    else if (format === "exception-review")
      (repository.exceptionReviews ??= []).push(readExceptionReview(loaded.file));
    else if (format === "request") (repository.requests ??= []).push(readRequest(loaded.file));
  }

  // Checks of one record need only the program and the controls, which are read by now.
  const checkRecord = evidenceRecordChecker(repository);
  const dates = dateChecker(options.now);
  const answered = answeredPaths(repository);
  const answerDigests = new Map<string, string | null>();
  // The whole record, for onRecord, beside what is kept of it.
  const check = (source: SourceFile): { checked: CheckedEvidence; whole?: EvidenceRecord } => {
    const answer = answered.has(source.path)
      ? { answerDigest: source.bytes ? bytesDigest(source.bytes) : null }
      : {};
    const loaded = loadSourceFile(source, "evidence");
    if (!loaded.file)
      return { checked: { path: source.path, diagnostics: loaded.diagnostics, ...answer } };
    const record = readEvidence(loaded.file);
    const found = [
      ...loaded.diagnostics,
      ...checkRecord(record),
      ...dates.evidence(record),
      ...checkEvidenceChain({ controls: [], policies: [], evidence: [record] }),
    ];
    const kept = retainRecord(record, options);
    return {
      checked: { path: source.path, diagnostics: found, record: kept, ...answer },
      whole: record,
    };
  };
  const addChecked = (checked: CheckedEvidence): void => {
    if (checked.answerDigest !== undefined) answerDigests.set(checked.path, checked.answerDigest);
    diagnostics.push(...checked.diagnostics);
    if (checked.record) repository.evidence.push(checked.record);
  };
  const addEvidence = (source: SourceFile): void => {
    const { checked, whole } = check(source);
    if (whole) options.onRecord?.(whole);
    addChecked(checked);
  };
  for (const source of records) addEvidence(source);

  const finish = (): ValidationResult => {
    const otherFiles = new Map(files.map((f) => [f.path, f]));
    const digestOf = (path: string): string | null => {
      if (answerDigests.has(path)) return answerDigests.get(path)!;
      const bytes = otherFiles.get(path)?.bytes;
      return bytes ? bytesDigest(bytes) : null;
    };
    diagnostics.push(
      ...checkUniqueIds(repository),
      ...checkReferences(repository),
      ...checkFrameworkReferences(repository),
      ...checkScope(repository),
      ...checkProgramDates(repository, options.now),
      ...checkEvidencePath(repository, options.evidenceFolderExists),
      ...checkPolicies(repository),
      ...checkPlaceholders(repository),
      ...checkOwnersHavePeople(repository),
      ...checkMonitoring(repository),
      ...checkAccessReviews(repository),
      ...checkExceptionReviews(repository, { partialEvidence: options.partialEvidence === true }),
      ...checkRequests(digestAnswersFrom(repository, digestOf)),
    );
    return { repository, diagnostics: capPerFile(diagnostics.sort(compareDiagnostics)) };
  };
  return {
    evidencePath,
    addEvidence,
    checkEvidence: (source) => check(source).checked,
    addChecked,
    finish,
  };
}

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Diagnostics shown per file: a broken file says what is wrong without burying everything else. */
export const MAX_DIAGNOSTICS_PER_FILE = 50;

function capPerFile(sorted: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let i = 0; i < sorted.length;) {
    let end = i;
    while (end < sorted.length && sorted[end]!.path === sorted[i]!.path) end++;
    const group = sorted.slice(i, end);
    if (group.length <= MAX_DIAGNOSTICS_PER_FILE) out.push(...group);
    else {
      const shown = group.slice(0, MAX_DIAGNOSTICS_PER_FILE);
      const hidden = group.slice(MAX_DIAGNOSTICS_PER_FILE);
      const last = shown[shown.length - 1]!;
      out.push(
        ...shown,
        diagnostic(
          last.path,
          { line: last.line, column: last.column },
          hidden.some((d) => d.severity === "error") ? "error" : "warning",
          "too-many-diagnostics",
          `${hidden.length} more problem(s) in this file are not shown: fix the ones above and validate again`,
        ),
      );
    }
    i = end;
  }
  return out;
}
