import { statusOf } from "../github/client.js";
import type { Retry } from "./retry.js";

/** The ref moved under us (another writer committed first): rebuild on the new tip. */
export class RefConflict extends Error {
  override name = "RefConflict";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The evidence repository has no commits yet; the store made its first one, try again. */
export class RepositoryInitialized extends Error {
  override name = "RepositoryInitialized";
}

function header(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response
    ?.headers;
  const value = headers?.[name] ?? headers?.[name.toLowerCase()];
  return value === undefined || value === null ? undefined : String(value);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Which GitHub failures are worth another attempt, and how long to wait first:
 * - a ref conflict: at once, after a short jittered backoff;
 * - a secondary rate limit (403 or 429 with Retry-After): what Retry-After says;
 * - the primary rate limit (x-ratelimit-remaining: 0): until x-ratelimit-reset;
 * - a 403 or 429 that says "secondary rate limit" but gives no time: a minute, as GitHub asks;
 * - 5xx and failures without a status (the network): backoff, or Retry-After when given.
 * Anything else (401, 404, a plain 403, 422) will fail again the same way: not retried.
 */
export function classifyGitHubFailure(error: unknown, now: Date): Retry | undefined {
  if (error instanceof RefConflict)
    return { reason: "conflict", ...(error.status ? { status: error.status } : {}) };
  if (error instanceof RepositoryInitialized) return { reason: "empty-repository", waitMs: 0 };
  const status = statusOf(error);
  const retryAfter = header(error, "retry-after");
  const retryAfterMs =
    retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())
      ? Number(retryAfter) * 1000
      : retryAfter !== undefined && Number.isFinite(Date.parse(retryAfter))
        ? Date.parse(retryAfter) - now.getTime()
        : undefined;
  if (status === 403 || status === 429) {
    if (retryAfterMs !== undefined)
      return { reason: "secondary-rate-limit", waitMs: retryAfterMs, status };
    if (header(error, "x-ratelimit-remaining") === "0") {
      const reset = Number(header(error, "x-ratelimit-reset"));
      const waitMs = Number.isFinite(reset) ? reset * 1000 - now.getTime() + 1000 : 60_000;
      return { reason: "rate-limit", waitMs, status };
    }
    if (/secondary rate limit|abuse/i.test(message(error)))
      return { reason: "secondary-rate-limit", waitMs: 60_000, status };
    if (status === 429) return { reason: "rate-limit", status };
    return undefined;
  }
  if (status !== undefined && status >= 500)
    return {
      reason: "server-error",
      status,
      ...(retryAfterMs !== undefined ? { waitMs: retryAfterMs } : {}),
    };
  if (status === undefined) return { reason: "network" };
  return undefined;
}
