import { asObject as obj } from "../../core/json-read.js";
import { GitHubApiError, statusOf } from "./client.js";

/**
 * The part of Octokit that sends GraphQL: `octokit.graphql(query, variables)`, which both the
 * App's (Probot) and the Action's client have. It answers `data`, and throws on `errors` (with
 * `errors` and the partial `data` on the error) or on an HTTP failure (with `status`).
 */
export interface GraphQLClient {
  graphql(query: string, variables?: Record<string, unknown>): Promise<unknown>;
}

/**
 * GitHub cannot answer the query at all: its schema lacks a field or argument the query uses
 * (an older GitHub Enterprise Server), or it has no GraphQL endpoint. The caller falls back to
 * REST. Distinct from a GitHubApiError, which is retried like any failed request.
 */
export class GraphQLUnsupportedError extends Error {
  override name = "GraphQLUnsupportedError";
}

interface ResponseError {
  message?: string;
  type?: string;
  path?: unknown;
}

/**
 * A whole query refused for its shape: errors that point at no field of the answer (`path`) and
 * carry no GitHub error `type` (NOT_FOUND, RATE_LIMITED, …), and no data. GitHub answers a field
 * its schema lacks that way ("Field 'x' doesn't exist on type 'PullRequest'").
 */
function refusedQuery(error: unknown): ResponseError[] | undefined {
  const e = obj(error);
  if (!Array.isArray(e.errors) || e.errors.length === 0 || e.data) return undefined;
  const errors = e.errors.map((x) => obj(x) as ResponseError);
  return errors.every((x) => x.path === undefined && x.type === undefined) ? errors : undefined;
}

/**
 * Runs a query, with what was being done in any failure: GraphQLUnsupportedError when GitHub
 * cannot run this query (fall back to REST), else a GitHubApiError (a failure to retry; a
 * NOT_FOUND reads as HTTP 404, a rate limit as 403, like their REST counterparts).
 */
export async function runQuery(
  client: GraphQLClient,
  doing: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<unknown> {
  try {
    return await client.graphql(query, variables);
  } catch (error) {
    const refused = refusedQuery(error);
    if (refused || statusOf(error) === 404)
      throw new GraphQLUnsupportedError(
        `${doing}: GitHub's GraphQL API cannot run the query (${refused?.[0]?.message ?? "no GraphQL endpoint"}): falling back to REST`,
        { cause: error },
      );
    const types = (obj(error).errors as ResponseError[] | undefined)?.map((x) => x.type) ?? [];
    const status =
      statusOf(error) ??
      (types.includes("NOT_FOUND") ? 404 : types.includes("RATE_LIMITED") ? 403 : undefined);
    throw new GitHubApiError(doing, status, { cause: error });
  }
}
