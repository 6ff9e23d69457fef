/**
 * An error GitHub's GraphQL API reports beside (partial) data, with its `type` (NOT_FOUND,
 * EXCESSIVE_PAGINATION, …), which GitHub puts at the top level of the error, not in `extensions`.
 */
export class GitHubGraphQLError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * A field the stand-in does not serve. Its answer carries the code STAND_IN_UNIMPLEMENTED so
 * that tests fail on it (test/support/github-graphql.ts) instead of trusting a silent null.
 */
export class UnimplementedField extends Error {
  constructor(
    readonly typeName: string,
    readonly fieldName: string,
  ) {
    super(
      `the GitHub stand-in does not implement ${typeName}.${fieldName}: add a resolver in src/dev/github-stand-in/graphql/`,
    );
  }
}

export const UNIMPLEMENTED_CODE = "STAND_IN_UNIMPLEMENTED";
