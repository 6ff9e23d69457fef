// Checks GitHub GraphQL requests against GitHub's own schema (@octokit/graphql-schema), the way
// github-openapi.ts checks REST requests against the OpenAPI description: every query the App or
// the Action sends to the stand-in must be one real GitHub accepts, so a query is never right only
// for the stand-in. Answers are checked for fields the stand-in does not serve.
import { getOperationAST, parse, validate, type DocumentNode } from "graphql";
import { UNIMPLEMENTED_CODE } from "../../src/dev/github-stand-in/graphql/errors.js";
import { NODE_LIMIT, nodeCount } from "../../src/dev/github-stand-in/graphql/node-limit.js";
import { githubSchema } from "../../src/dev/github-stand-in/graphql/schema.js";

// Errors GitHub answers for a query that is wrong however the data looks.
const QUERY_BUGS = new Set([
  "MISSING_PAGINATION_BOUNDARIES",
  "EXCESSIVE_PAGINATION",
  "MAX_NODE_LIMIT_EXCEEDED",
  "INVALID_CURSOR_ARGUMENTS",
]);

/** Messages for every way a GraphQL request body departs from GitHub's schema (empty: fine). */
export function checkGraphQLRequest(body: unknown): string[] {
  const request = (body ?? {}) as { query?: unknown; variables?: unknown };
  if (typeof request.query !== "string") return ["the body has no `query` string"];
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return [`the query does not parse: ${(error as Error).message}`];
  }
  const problems = validate(githubSchema(), document).map(
    (e) => `not valid against GitHub's schema: ${e.message}`,
  );
  const operation = getOperationAST(document);
  const variables = (request.variables ?? {}) as Record<string, unknown>;
  if (problems.length === 0 && operation) {
    const nodes = nodeCount(document, operation, variables);
    if (nodes > NODE_LIMIT)
      problems.push(`asks for up to ${nodes} nodes (GitHub's limit: ${NODE_LIMIT})`);
  }
  return problems;
}

/** Messages for errors in an answer that mean the query or the stand-in is wrong. */
export function checkGraphQLResponse(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((e) => e as { message?: string; type?: string; extensions?: { code?: string } })
    .filter((e) => e.extensions?.code === UNIMPLEMENTED_CODE || QUERY_BUGS.has(e.type ?? ""))
    .map((e) => `GraphQL error${e.type ? ` ${e.type}` : ""}: ${e.message}`);
}
