import { classifyGitHubFailure } from "../../src/adapters/evidence/github-retry.js";
import { EvidenceRecordError } from "../../src/adapters/evidence/errors.js";

/** Why handling a delivery failed, and whether and when to try again. */
export interface FailureClass {
  /** Another attempt cannot succeed (a malformed payload, a record the schema refuses). */
  permanent: boolean;
  /** Not before this long: what GitHub's Retry-After or rate-limit reset asked for. */
  waitMs?: number;
  reason: string;
}

/**
 * Classifies what a handler threw, looking through `cause`s: the store and the fact collection
 * wrap GitHub's errors, whose Retry-After must still be honoured.
 */
export function classifyFailure(error: unknown, now: Date): FailureClass {
  let waitMs: number | undefined;
  let reason = "error";
  for (
    let e: unknown = error, depth = 0;
    e && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (e instanceof EvidenceRecordError) return { permanent: true, reason: "invalid-record" };
    if ((e as { permanent?: unknown }).permanent === true)
      return { permanent: true, reason: String((e as { reason?: unknown }).reason ?? "permanent") };
    const own = (e as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof own === "number") waitMs = Math.max(waitMs ?? 0, own);
    const github = classifyGitHubFailure(e, now);
    if (github) {
      reason = github.reason;
      if (github.waitMs !== undefined) waitMs = Math.max(waitMs ?? 0, github.waitMs);
    }
  }
  return { permanent: false, reason, ...(waitMs !== undefined ? { waitMs } : {}) };
}

/** A delivery that can never be handled: dead-lettered at once, with this reason. */
export class PermanentFailure extends Error {
  override name = "PermanentFailure";
  readonly permanent = true;
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}
