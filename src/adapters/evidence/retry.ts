import { EvidenceStoreError, EvidenceRecordError, describeError } from "./errors.js";
import { systemClock } from "../clock.js";

/** How a store retries, and the clock it waits with (injectable, so tests do not really wait). */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 8. */
  maxAttempts?: number;
  /** Backoff after the first failed attempt; it doubles each attempt, with ±50% jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** The longest backoff between two attempts. Default 5000 ms. */
  maxDelayMs?: number;
  /** The longest wait for a rate limit (Retry-After, or the primary limit's reset). Default 60 000 ms. */
  maxRateLimitWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** In [0, 1): the jitter. */
  random?: () => number;
  /** Told about each retry, e.g. to log it. Carries no secrets. */
  onRetry?: (event: RetryEvent) => void;
}

export type RetryReason =
  | "conflict"
  | "server-error"
  | "network"
  | "rate-limit"
  | "secondary-rate-limit"
  | "empty-repository";

export interface RetryEvent {
  /** The record's path. */
  path: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  reason: RetryReason;
  /** How long the store waits before the next attempt. */
  waitMs: number;
  /** What failed, one line. */
  detail: string;
}

/** A failure worth another attempt; `waitMs` overrides the backoff (rate limits say how long). */
export interface Retry {
  reason: RetryReason;
  waitMs?: number;
  status?: number;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRateLimitWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  random: () => number;
  onRetry: (event: RetryEvent) => void;
}

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: Math.max(1, options.maxAttempts ?? 8),
    baseDelayMs: options.baseDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 5000,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 60_000,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? systemClock,
    random: options.random ?? Math.random,
    onRetry: options.onRetry ?? (() => {}),
  };
}

/** Exponential backoff with jitter: attempt 1 → about base, attempt 2 → about 2 × base, … */
export function backoff(policy: RetryPolicy, attempt: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + policy.random()));
}

/**
 * Runs `attempt` until it succeeds, a failure `classify` does not call retriable happens, or the
 * attempts run out; then throws an EvidenceStoreError that says what failed.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  what: { path: string; where: string },
  attempt: (n: number) => Promise<T>,
  classify: (error: unknown) => Retry | undefined,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (error instanceof EvidenceRecordError || error instanceof EvidenceStoreError) throw error;
      const retry = classify(error);
      const detail = describeError(error);
      const status = retry?.status ?? statusOf(error);
      if (!retry || n >= policy.maxAttempts) {
        const why = retry
          ? `gave up after ${n} attempts (${retry.reason})`
          : `failed on attempt ${n} and retrying cannot help`;
        throw new EvidenceStoreError(
          `could not store evidence record ${what.path} in ${what.where}: ${why}: ${detail}`,
          what.path,
          n,
          status,
          { cause: error },
        );
      }
      const waitMs =
        retry.waitMs === undefined
          ? backoff(policy, n)
          : Math.min(policy.maxRateLimitWaitMs, Math.max(0, retry.waitMs));
      policy.onRetry({ path: what.path, attempt: n, reason: retry.reason, waitMs, detail });
      if (waitMs > 0) await policy.sleep(waitMs);
    }
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
