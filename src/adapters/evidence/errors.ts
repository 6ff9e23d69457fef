import { redact } from "../../core/evidence/redact.js";
import { recordIdProblem, recordPath } from "../../core/evidence/record-path.js";

/**
 * A record could not be stored, after every attempt the retry policy allows (or at once, when
 * retrying cannot help). The message says what failed and where; the caller logs it with the
 * delivery id and answers with an error status so that GitHub offers the delivery again.
 */
export class EvidenceStoreError extends Error {
  override name = "EvidenceStoreError";
  constructor(
    message: string,
    /** The record's path from the evidence repository's root. */
    readonly path: string,
    /** Attempts made. */
    readonly attempts: number,
    /** The HTTP status of the last failure, when it was an HTTP failure. */
    readonly status?: number,
    options?: { cause: unknown },
  ) {
    super(redact(message), options);
  }
}

/** The record itself cannot be stored as it is (an invalid id, or content the schema rejects). Retrying will not help. */
export class EvidenceRecordError extends Error {
  override name = "EvidenceRecordError";
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(redact(`evidence record ${path} was not stored: ${problems.join("; ")}`));
  }
}

/** The first line of an error's message, with anything token-like removed. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redact(message.split("\n")[0] ?? "").trim();
}

/** The file path of a record, or an EvidenceRecordError when its id cannot be a path. */
export function checkedRecordPath(evidencePath: string, id: string): string {
  const problem = recordIdProblem(id);
  const path = recordPath(evidencePath, problem ? "invalid" : id);
  if (problem) throw new EvidenceRecordError(path, [problem]);
  return path;
}
