/**
 * The GraphQL text the facts are read with. Every query here is validated against GitHub's
 * published schema by the tests (test/support/github-graphql.ts), so it is right for GitHub, not
 * only for the stand-in. Connections ask for at most 100 items (GitHub's page limit); longer ones
 * are read on with `after` (see graphql-pages.ts).
 */

// An account: REST's `type` is GraphQL's __typename, REST's `id` its databaseId.
const ACTOR = `fragment Actor on Actor {
  __typename login
  ... on User { databaseId } ... on Bot { databaseId }
  ... on Organization { databaseId } ... on Mannequin { databaseId }
}`;

const PERSON = `fragment Person on GitActor { name email user { databaseId login } }`;

const PAGE = `pageInfo { hasNextPage endCursor }`;

/** The items of each connection of a pull request that can need more than one page. */
export const CONNECTION_ITEMS = {
  commits: `nodes { commit { oid message authoredDate author { ...Person } committer { ...Person } } }`,
  reviews: `nodes { databaseId state submittedAt commit { oid } author { ...Actor } }`,
  files: `nodes { path changeType }`,
  labels: `nodes { name }`,
} as const;

export type PagedConnection = keyof typeof CONNECTION_ITEMS;

// The latest check runs of each suite (one per App) and the latest status of each context.
const CHECKS = `fragment Checks on Commit {
  oid
  checkSuites(first: 20) { ${PAGE} nodes {
    checkRuns(first: 100, filterBy: { checkType: LATEST }) { ${PAGE} nodes { name status conclusion } }
  } }
  status { contexts { context state } }
}`;

/** Everything the facts of one pull request take from it, first pages only. */
const PULL_REQUEST = `fragment PullRequestFacts on PullRequest {
  number title body updatedAt url
  baseRefName baseRefOid headRefName headRefOid
  baseRepository { databaseId nameWithOwner }
  headRepository { nameWithOwner }
  author { ...Actor }
  merged mergedAt mergedBy { ...Actor }
  mergeCommit { oid message authoredDate parents(first: 2) { nodes { oid } } }
  changedFiles
  commits(first: 100) { totalCount ${PAGE} ${CONNECTION_ITEMS.commits} }
  head: commits(last: 1) { nodes { commit { ...Checks } } }
  reviews(first: 100) { ${PAGE} ${CONNECTION_ITEMS.reviews} }
  files(first: 100) { ${PAGE} ${CONNECTION_ITEMS.files} }
  labels(first: 100) { ${PAGE} ${CONNECTION_ITEMS.labels} }
  retargeted: timelineItems(itemTypes: [BASE_REF_CHANGED_EVENT], last: 1) {
    nodes { ... on BaseRefChangedEvent { createdAt } }
  }
}`;

export const FRAGMENTS = [ACTOR, PERSON, CHECKS, PULL_REQUEST].join("\n");

/** Files read at the base, aliased f0, f1, … with $f0, $f1, … as "<sha>:<path>" expressions. */
export function fileFields(count: number): { variables: string; fields: string } {
  const indexes = Array.from({ length: count }, (_, i) => i);
  return {
    variables: indexes.map((i) => `, $f${i}: String!`).join(""),
    fields: indexes
      .map((i) => `f${i}: object(expression: $f${i}) { ... on Blob { text isBinary isTruncated } }`)
      .join("\n"),
  };
}

/** One pull request with its facts, and files read at a commit of the same repository. */
export function pullRequestQuery(fileCount: number): string {
  const files = fileFields(fileCount);
  return `query PullRequestFacts($owner: String!, $name: String!, $number: Int!${files.variables}) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) { ...PullRequestFacts }
    ${files.fields}
  }
}
${FRAGMENTS}`;
}

/** The next page of one connection of a pull request. */
export function connectionPageQuery(connection: PagedConnection): string {
  const fragments = connection === "commits" ? PERSON : connection === "reviews" ? ACTOR : "";
  return `query PullRequestPage($owner: String!, $name: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      page: ${connection}(first: 100, after: $after) { ${PAGE} ${CONNECTION_ITEMS[connection]} }
    }
  }
}
${fragments}`;
}

/**
 * A page of a repository's merged pull requests, most recently updated first: only what tells
 * whether each merged within a window and what its record is (its base, its merge commit).
 */
export const MERGED_PULL_LIST = `query MergedPullList($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: [MERGED], orderBy: { field: UPDATED_AT, direction: DESC }, first: 100, after: $after) {
      ${PAGE}
      nodes { number updatedAt mergedAt baseRefName baseRefOid mergeCommit { oid parents(first: 2) { nodes { oid } } } }
    }
  }
}`;

/**
 * Several pull requests with their facts (aliased p0, p1, … for $n0, $n1, …) and files read at
 * commits of the same repository (f0, f1, …), in one query.
 */
export function pullRequestsQuery(count: number, fileCount: number): string {
  const files = fileFields(fileCount);
  const indexes = Array.from({ length: count }, (_, i) => i);
  return `query PullRequestsFacts($owner: String!, $name: String!${indexes.map((i) => `, $n${i}: Int!`).join("")}${files.variables}) {
  repository(owner: $owner, name: $name) {
    ${indexes.map((i) => `p${i}: pullRequest(number: $n${i}) { ...PullRequestFacts }`).join("\n    ")}
    ${files.fields}
  }
}
${FRAGMENTS}`;
}
