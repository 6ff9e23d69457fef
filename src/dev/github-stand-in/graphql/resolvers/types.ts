import type { GraphQLContext } from "../sources.js";

/**
 * A field resolver over the stand-in's state. Sources and arguments are typed per resolver
 * (each knows its type's source); the table that holds them cannot say more than this.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, ctx: GraphQLContext) => unknown;

/** Resolvers by GraphQL type, then field. */
export type ResolverTable = Record<string, Record<string, Resolver>>;
