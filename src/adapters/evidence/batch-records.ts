import type { AppendResult, PendingRecord } from "../../core/evidence/pending-record.js";
import { checkedRecordPath, describeError, EvidenceStoreError } from "./errors.js";

/** A record of a batch whose id makes a valid path. */
export interface ValidRecord {
  record: PendingRecord;
  path: string;
}

/** The records of a batch with a valid id, and the refusal of the others (their results so far). */
export function validRecords(
  records: readonly PendingRecord[],
  evidencePath: string,
): { valid: ValidRecord[]; results: Map<string, AppendResult | Error> } {
  const valid: ValidRecord[] = [];
  const results = new Map<string, AppendResult | Error>();
  for (const record of records) {
    try {
      valid.push({ record, path: checkedRecordPath(evidencePath, record.id) });
    } catch (error) {
      results.set(record.id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return { valid, results };
}

/** How a batch is named in messages: its first record's path, and how many more it holds. */
export function batchLabel(valid: readonly ValidRecord[]): string {
  const first = valid[0]?.path ?? "(no record)";
  return valid.length <= 1 ? first : `${first} (and ${valid.length - 1} more)`;
}

/**
 * What one caller of a failed batch gets: the batch's error, with the caller's own record path,
 * so that the App logs and retries the delivery as before.
 */
export function batchFailure(error: unknown, path: string, where: string): EvidenceStoreError {
  if (error instanceof EvidenceStoreError)
    return new EvidenceStoreError(error.message, path, error.attempts, error.status, {
      cause: error.cause ?? error,
    });
  return new EvidenceStoreError(
    `could not store evidence record ${path} in ${where}: ${describeError(error)}`,
    path,
    0,
    undefined,
    { cause: error },
  );
}
