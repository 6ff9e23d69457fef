import type { Context } from "probot";
import { GraphQLUnsupportedError } from "../src/adapters/github/graphql-client.js";
import { deliveryOf } from "./handlers/record.js";

/**
 * Runs a GraphQL read, or answers undefined when GitHub cannot run the query (an older GitHub
 * Enterprise Server without a field the query uses): the handler then reads with REST, as it did
 * before GraphQL. Any other failure is thrown, so the delivery is retried as before.
 */
export async function orRest<T>(
  warn: GraphQLFallbackWarning | undefined,
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof GraphQLUnsupportedError)) throw error;
    warn?.(error.message);
    return undefined;
  }
}

/** Told why GraphQL could not run the query, before the REST read. */
export type GraphQLFallbackWarning = (reason: string) => void;

/** The warning a webhook delivery logs when it falls back to REST. */
export function fallbackWarning(context: Context): GraphQLFallbackWarning {
  return (reason) =>
    context.log.warn(
      { ...deliveryOf(context), reason },
      "soc2: GitHub's GraphQL API cannot run the query: reading with REST (set GITHUB_API=rest to skip it)",
    );
}
