import type { Context } from "probot";
import { GraphQLUnsupportedError } from "../src/adapters/github/graphql-client.js";
import { deliveryOf } from "./handlers/record.js";

/**
 * Runs a GraphQL read, or answers undefined when GitHub cannot run the query (an older GitHub
 * Enterprise Server without a field the query uses): the handler then reads with REST, as it did
 * before GraphQL. Any other failure is thrown, so the delivery is retried as before.
 */
export async function orRest<T>(context: Context, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof GraphQLUnsupportedError)) throw error;
    context.log.warn(
      { ...deliveryOf(context), reason: error.message },
      "soc2: GitHub's GraphQL API cannot run the query: reading with REST (set GITHUB_API=rest to skip it)",
    );
    return undefined;
  }
}
