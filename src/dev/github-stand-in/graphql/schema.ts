import { schema as published } from "@octokit/graphql-schema";
import { buildClientSchema, type GraphQLSchema } from "graphql";

let built: GraphQLSchema | undefined;

/**
 * GitHub's own GraphQL schema (@octokit/graphql-schema, its introspection result), built once.
 * Built from the JSON rather than schema.graphql: the published SDL defines a few fields twice,
 * which graphql-js rejects, while the introspection result is what GitHub itself serves.
 */
export function githubSchema(): GraphQLSchema {
  built ??= buildClientSchema(published.json as Parameters<typeof buildClientSchema>[0]);
  return built;
}
