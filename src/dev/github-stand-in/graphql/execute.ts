import type { GraphQLError } from "graphql";
import {
  executeSync,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver,
} from "graphql";
import type { SerializeContext } from "../serialize/context.js";
import { GitHubGraphQLError, UNIMPLEMENTED_CODE, UnimplementedField } from "./errors.js";
import { NODE_LIMIT, nodeCount } from "./node-limit.js";
import { actorResolvers } from "./resolvers/actors.js";
import { commitResolvers } from "./resolvers/commits.js";
import { pullRequestResolvers } from "./resolvers/pull-requests.js";
import { repositoryResolvers } from "./resolvers/repositories.js";
import type { ResolverTable } from "./resolvers/types.js";
import { githubSchema } from "./schema.js";

const RESOLVERS: ResolverTable = {
  ...repositoryResolvers,
  ...pullRequestResolvers,
  ...commitResolvers,
  ...actorResolvers,
};

/**
 * Types with resolvers answer only the fields they list; plain objects (connections, page info,
 * labels, blobs) answer their own properties. Anything else is a field the stand-in does not
 * serve, and the answer says so instead of a silent null.
 */
const fieldResolver: GraphQLFieldResolver<unknown, SerializeContext> = (
  source,
  args,
  ctx,
  info,
) => {
  const typeName = info.parentType.name;
  const table = RESOLVERS[typeName];
  const resolve = table?.[info.fieldName];
  if (resolve) return resolve(source, args, ctx);
  if (!table && source && typeof source === "object" && Object.hasOwn(source, info.fieldName))
    return (source as Record<string, unknown>)[info.fieldName];
  throw new UnimplementedField(typeName, info.fieldName);
};

const typeResolver: GraphQLTypeResolver<unknown, SerializeContext> = (value) =>
  (value as { __typename?: string }).__typename;

/** An error as GitHub writes it: `type` (NOT_FOUND, …) at the top level. */
function format(error: GraphQLError): Record<string, unknown> {
  const original = error.originalError;
  return {
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(original instanceof GitHubGraphQLError ? { type: original.type } : {}),
    ...(original instanceof UnimplementedField ? { extensions: { code: UNIMPLEMENTED_CODE } } : {}),
  };
}

const errorsOnly = (errors: readonly GraphQLError[]) => ({ errors: errors.map(format) });

/**
 * Runs one GraphQL request against GitHub's schema over the stand-in's state. Like GitHub, it
 * answers 200 with `errors` for a query that does not parse, does not validate against the
 * schema, or asks for too many nodes; and `data` with `errors` beside it for fields that failed.
 */
export function executeGraphQL(body: unknown, ctx: SerializeContext): Record<string, unknown> {
  const request = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof request.query !== "string")
    return { errors: [{ message: "A query attribute must be specified and must be a string." }] };
  const variables =
    request.variables && typeof request.variables === "object"
      ? (request.variables as Record<string, unknown>)
      : {};
  const operationName = typeof request.operationName === "string" ? request.operationName : null;
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return errorsOnly([error as GraphQLError]);
  }
  const schema = githubSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) return errorsOnly(invalid);
  const operation = getOperationAST(document, operationName);
  if (operation) {
    const nodes = nodeCount(document, operation, variables);
    if (nodes > NODE_LIMIT)
      return {
        errors: [
          {
            message: `This query requests up to ${nodes.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of ${NODE_LIMIT.toLocaleString("en-US")}.`,
            type: "MAX_NODE_LIMIT_EXCEEDED",
          },
        ],
      };
  }
  const result = executeSync({
    schema,
    document,
    variableValues: variables,
    operationName,
    contextValue: ctx,
    fieldResolver,
    typeResolver,
  });
  return {
    ...(result.errors ? { errors: result.errors.map(format) } : {}),
    data: result.data ?? null,
  };
}
