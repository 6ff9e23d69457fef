import { afterEach, describe, expect, test } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { checkGraphQLRequest } from "./github-graphql.js";
import { createOpenApiChecker } from "./github-openapi.js";

const servers: GitHubStandIn[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start() {
  const checker = createOpenApiChecker();
  const gh = await startGitHubStandIn({
    onRequest: checker.onRequest,
    onResponse: checker.onResponse,
  });
  servers.push(gh);
  const alice = gh.state.addUser("alice");
  const bot = gh.state.addBot("dependabot");
  const repo = gh.state.addRepository({
    owner: "acme",
    name: "web",
    files: { "soc2.yml": "version: 1\n" },
  });
  const pr = repo.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "a\n" } }] });
  return { gh, checker, alice, bot, repo, pr };
}

async function graphql(
  gh: GitHubStandIn,
  query: string,
  variables: Record<string, unknown> = {},
  path = "/graphql",
) {
  const response = await fetch(`${gh.url}${path}`, {
    method: "POST",
    headers: { authorization: "token t", "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: any; errors?: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const REVIEWS = `query($after: String) { repository(owner: "acme", name: "web") {
  pullRequest(number: 1) { reviews(first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { databaseId state author { login __typename } } } } } }`;

describe("the stand-in's GraphQL endpoint", () => {
  test("executes real queries against GitHub's schema, paging connections with cursors", async () => {
    const { gh, checker, bot, pr } = await start();
    for (let i = 0; i < 150; i++) pr.addReview({ user: bot, state: "COMMENTED" });
    const first = await graphql(gh, REVIEWS);
    const page1 = first.data.repository.pullRequest.reviews;
    expect(page1.totalCount).toBe(150);
    expect(page1.nodes).toHaveLength(100);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    // GraphQL names a bot without REST's "[bot]" suffix.
    expect(page1.nodes[0].author).toEqual({ login: "dependabot", __typename: "Bot" });
    const second = await graphql(gh, REVIEWS, { after: page1.pageInfo.endCursor });
    const page2 = second.data.repository.pullRequest.reviews;
    expect(page2.nodes).toHaveLength(50);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...page1.nodes, ...page2.nodes].map((n) => n.databaseId)).size).toBe(150);
    expect(gh.requests.map((r) => [r.method, r.route])).toEqual([
      ["POST", "/graphql"],
      ["POST", "/graphql"],
    ]);
    checker.assertClean();
  });

  test("serves GitHub Enterprise Server's /api/graphql and reads files by revision expression", async () => {
    const { gh, checker, repo, pr } = await start();
    const answer = await graphql(
      gh,
      `
        query ($policy: String!, $missing: String!) {
          repository(owner: "acme", name: "web") {
            policy: object(expression: $policy) {
              ... on Blob {
                text
                isBinary
              }
            }
            missing: object(expression: $missing) {
              ... on Blob {
                text
              }
            }
          }
        }
      `,
      { policy: `${pr.baseSha}:soc2.yml`, missing: `${pr.baseSha}:nope.yml` },
      "/api/graphql",
    );
    expect(answer.data.repository).toEqual({
      policy: { text: "version: 1\n", isBinary: false },
      missing: null,
    });
    expect(repo.readFile("soc2.yml")).toBe("version: 1\n");
    checker.assertClean();
  });

  test("refuses what GitHub refuses: no page size, pages over 100, unknown fields, missing objects", async () => {
    const { gh } = await start();
    const unbounded = await graphql(
      gh,
      `
        {
          repository(owner: "acme", name: "web") {
            pullRequest(number: 1) {
              reviews {
                totalCount
              }
            }
          }
        }
      `,
    );
    expect(unbounded.errors?.[0]).toMatchObject({ type: "MISSING_PAGINATION_BOUNDARIES" });
    const huge = await graphql(
      gh,
      `
        {
          repository(owner: "acme", name: "web") {
            pullRequest(number: 1) {
              reviews(first: 101) {
                totalCount
              }
            }
          }
        }
      `,
    );
    expect(huge.errors?.[0].message).toContain("exceeds the `first` limit of 100 records");
    const unknown = await graphql(
      gh,
      `
        {
          repository(owner: "acme", name: "web") {
            pullRequest(number: 1) {
              pushedDate
            }
          }
        }
      `,
    );
    expect(unknown.data).toBeUndefined();
    expect(unknown.errors?.[0].message).toContain(
      'Cannot query field "pushedDate" on type "PullRequest"',
    );
    const missing = await graphql(
      gh,
      `
        {
          repository(owner: "acme", name: "web") {
            pullRequest(number: 9) {
              number
            }
          }
        }
      `,
    );
    expect(missing).toMatchObject({
      data: { repository: { pullRequest: null } },
      errors: [{ type: "NOT_FOUND", path: ["repository", "pullRequest"] }],
    });
    const nodes = await graphql(
      gh,
      `
        {
          repository(owner: "acme", name: "web") {
            pullRequests(first: 100) {
              nodes {
                commits(first: 100) {
                  nodes {
                    commit {
                      parents(first: 100) {
                        totalCount
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(nodes.errors?.[0]).toMatchObject({ type: "MAX_NODE_LIMIT_EXCEEDED" });
  });

  test("a field the stand-in does not serve is an error the checker reports", async () => {
    const { gh, checker } = await start();
    const answer = await graphql(
      gh,
      `
        {
          repository(owner: "acme", name: "web") {
            forkCount
          }
        }
      `,
    );
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: "STAND_IN_UNIMPLEMENTED" } });
    expect(() => checker.assertClean()).toThrow(/does not implement Repository.forkCount/);
  });

  test("the request checker rejects queries real GitHub would reject", () => {
    expect(checkGraphQLRequest({ query: "{ viewer { login } }" })).toEqual([]);
    expect(checkGraphQLRequest({ query: "{ viewer { pushedDate } }" })[0]).toContain(
      "not valid against GitHub's schema",
    );
    expect(checkGraphQLRequest({ query: "{ viewer " })[0]).toContain("does not parse");
    expect(checkGraphQLRequest({})).toEqual(["the body has no `query` string"]);
  });
});
