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
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 8; e = (e as { cause?: unknown }).cause)
    chain.push(e);
  for (const e of chain) {
    if (e instanceof EvidenceRecordError) return { permanent: true, reason: "invalid-record" };
    if ((e as { permanent?: unknown }).permanent === true)
      return { permanent: true, reason: String((e as { reason?: unknown }).reason ?? "permanent") };
  }
  // The error GitHub answered with (it has the response headers) says best how long to wait; a
  // wrapper that only repeats its message would fall back to GitHub's generic "wait a minute".
  const answered = [...chain].reverse().find((e) => (e as { response?: unknown }).response);
  const github = classifyGitHubFailure(answered ?? error, now);
  const own = chain
    .map((e) => (e as { retryAfterMs?: unknown }).retryAfterMs)
    .find((ms): ms is number => typeof ms === "number");
  const waitMs = github?.waitMs ?? own;
  return {
    permanent: false,
    reason: github?.reason ?? String((error as { reason?: unknown }).reason ?? "error"),
    ...(waitMs !== undefined ? { waitMs } : {}),
  };
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
