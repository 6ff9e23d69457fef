/**
 * An injected failure: the next `times` requests matching `method` and `pathPattern` get `status`
 * instead of being served. A string pattern matches the route template
 * ("/repos/{owner}/{repo}/git/refs/{ref}") or the concrete path ("/repos/acme/evidence/git/refs/heads/main");
 * a RegExp is tested against the concrete path. Paths never include the "/api/v3" prefix.
 */
export interface Fault {
  method?: string;
  pathPattern: string | RegExp;
  times?: number;
  /** 404: what GitHub answers a token that may not see the resource (a private fork). */
  status: 500 | 409 | 403 | 404 | 429 | 502;
  /** Seconds, sent as `retry-after` (secondary rate limits) or used for `x-ratelimit-reset`. */
  retryAfter?: number;
  /** 403/429 as GitHub's secondary rate limit; without it 403/429 is the primary rate limit. */
  secondaryRateLimit?: boolean;
  /** Overrides the response message. */
  message?: string;
}

export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: { message: string; documentation_url: string; status: string };
}

const DOCS = "https://docs.github.com/rest";
const RATE_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";

function matches(fault: Fault, method: string, path: string, route: string | null): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (typeof fault.pathPattern === "string")
    return fault.pathPattern === path || fault.pathPattern === route;
  fault.pathPattern.lastIndex = 0;
  return fault.pathPattern.test(path);
}

/** Takes one use of the first matching fault (removing it when used up) and says what to send. */
export function takeFault(
  faults: Fault[],
  method: string,
  path: string,
  route: string | null,
  nowSeconds: number,
): FaultResponse | undefined {
  const index = faults.findIndex((f) => (f.times ?? 1) > 0 && matches(f, method, path, route));
  if (index < 0) return undefined;
  const fault = faults[index] as Fault;
  fault.times = (fault.times ?? 1) - 1;
  if (fault.times <= 0) faults.splice(index, 1);
  return faultResponse(fault, nowSeconds);
}

export function faultResponse(fault: Fault, nowSeconds: number): FaultResponse {
  const retryAfter = fault.retryAfter ?? 1;
  const body = (message: string, docs = DOCS) => ({
    message: fault.message ?? message,
    documentation_url: docs,
    status: String(fault.status),
  });
  if ((fault.status === 403 || fault.status === 429) && fault.secondaryRateLimit) {
    return {
      status: fault.status,
      headers: { "retry-after": String(retryAfter) },
      body: body(
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
          "If you reach out to GitHub Support for help, please include the request ID.",
        RATE_DOCS,
      ),
    };
  }
  if (fault.status === 403 || fault.status === 429) {
    return {
      status: fault.status,
      headers: {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": "5000",
        "x-ratelimit-reset": String(nowSeconds + retryAfter),
        "x-ratelimit-resource": "core",
      },
      body: body("API rate limit exceeded.", RATE_DOCS),
    };
  }
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
  const message =
    fault.status === 409
      ? "Conflict"
      : fault.status === 502
        ? "Bad Gateway"
        : fault.status === 404
          ? "Not Found"
          : "Server Error";
  return { status: fault.status, headers, body: body(message) };
}
