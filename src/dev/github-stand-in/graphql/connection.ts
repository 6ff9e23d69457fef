import { GitHubGraphQLError } from "./errors.js";

/** GitHub's cap on `first`/`last` of any connection. */
export const MAX_PAGE = 100;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface Connection<T> {
  totalCount: number;
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

// Opaque to clients, like GitHub's: the position in the list, base64-encoded.
const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString("base64");

function indexOf(cursor: string, field: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  if (!m)
    throw new GitHubGraphQLError(
      `\`${cursor}\` does not appear to be a valid cursor.`,
      "INVALID_CURSOR_ARGUMENTS",
      field,
    );
  return Number(m[1]);
}

/**
 * One page of `items` as a GitHub connection, with GitHub's rules: `first` or `last` is required
 * and at most 100; `after`/`before` are cursors from an earlier page's edges or pageInfo.
 */
export function connection<T>(
  items: readonly T[],
  args: ConnectionArgs,
  field: string,
): Connection<T> {
  const { first, last, after, before } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) {
    throw new GitHubGraphQLError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
      "MISSING_PAGINATION_BOUNDARIES",
      field,
    );
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (typeof value !== "number") continue;
    if (value > MAX_PAGE)
      throw new GitHubGraphQLError(
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`,
        "EXCESSIVE_PAGINATION",
        field,
      );
    if (value < 0)
      throw new GitHubGraphQLError(
        `\`${name}\` on ${field} cannot be less than 0`,
        "INVALID_PAGINATION",
        field,
      );
  }
  let start = after ? indexOf(after, field) + 1 : 0;
  let end = before ? indexOf(before, field) : items.length;
  end = Math.min(end, items.length);
  if (typeof first === "number") end = Math.min(end, start + first);
  if (typeof last === "number") start = Math.max(start, end - last);
  const nodes = items.slice(start, end);
  const edges = nodes.map((node, i) => ({ cursor: cursorOf(start + i), node }));
  return {
    totalCount: items.length,
    nodes,
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
