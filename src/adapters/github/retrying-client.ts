import { describeError } from "../evidence/errors.js";
import { classifyGitHubFailure } from "../evidence/github-retry.js";
import { backoff, retryPolicy, type RetryOptions } from "../evidence/retry.js";
import type { GitHubClient } from "./client.js";
import type { GraphQLClient } from "./graphql-client.js";

/**
 * A client that tries a failed read again: 5xx and network failures after a backoff, rate limits
 * (403 or 429 with Retry-After, or the primary limit's reset) after exactly the wait GitHub asks
 * for, never sooner. A wait longer than maxRateLimitWaitMs, or the attempts running out, fails the
 * request with GitHub's error, which says what happened. Anything else (404, 401, 422) fails at once.
 */
export function retryingClient(
  client: GitHubClient & Partial<GraphQLClient>,
  /** `onRetry` is told each retry with the route as its `path`. */
  options: RetryOptions = {},
): GitHubClient & Partial<GraphQLClient> {
  const policy = retryPolicy(options);
  const retrying =
    <T>(route: string, run: () => Promise<T>) =>
    async (): Promise<T> => {
      for (let n = 1; ; n++) {
        try {
          return await run();
        } catch (error) {
          const retry = classifyGitHubFailure(error, policy.now());
          if (!retry || n >= policy.maxAttempts) throw error;
          const waitMs =
            retry.waitMs === undefined ? backoff(policy, n) : Math.max(0, retry.waitMs);
          if (waitMs > policy.maxRateLimitWaitMs) throw error;
          policy.onRetry({
            path: route,
            attempt: n,
            reason: retry.reason,
            waitMs,
            detail: describeError(error),
          });
          if (waitMs > 0) await policy.sleep(waitMs);
        }
      }
    };
  const graphql = client.graphql?.bind(client);
  const retryingClient: GitHubClient & Partial<GraphQLClient> = {
    request: (route, parameters) => retrying(route, () => client.request(route, parameters))(),
    paginate: (route, parameters) => retrying(route, () => client.paginate(route, parameters))(),
  };
  // A GraphQL query fails over HTTP as a REST request does (5xx, secondary rate limits).
  if (graphql)
    retryingClient.graphql = (query, variables) =>
      retrying("POST /graphql", () => graphql(query, variables))();
  return retryingClient;
}
