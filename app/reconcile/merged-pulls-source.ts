import type { GitHubClient } from "../../src/adapters/github/client.js";
import type { GraphQLClient } from "../../src/adapters/github/graphql-client.js";
import { graphqlMergedPulls } from "../../src/adapters/github/merged-pull-reads.js";
import {
  restMergedPullRequests,
  type MergedPullRequests,
} from "../../src/adapters/github/merged-pulls.js";
import { orRest, type GraphQLFallbackWarning } from "../graphql-fallback.js";

/**
 * Where a reconciliation lists merged pull requests: GraphQL (100 a query, with each one's base
 * and merge commit) when the App reads GitHub with it, REST otherwise or when GitHub cannot run the
 * query (an older GitHub Enterprise Server).
 */
export function mergedPullsSource(
  client: GitHubClient,
  graphql: GraphQLClient | undefined,
  warn: GraphQLFallbackWarning | undefined,
): MergedPullRequests {
  const rest = restMergedPullRequests(client);
  if (!graphql) return rest;
  const viaGraphQL = graphqlMergedPulls(graphql);
  return async (repository, window) =>
    (await orRest(warn, () => viaGraphQL(repository, window))) ?? rest(repository, window);
}
