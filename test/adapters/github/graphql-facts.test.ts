// The GraphQL reader gives exactly the facts the REST reader (collectFacts) gives, on stand-in
// stories that stress what differs between the two APIs: pages past 100, GitHub's 250-commit cap,
// forks, renamed users, dismissed reviews, bots (GraphQL names them without "[bot]" and maps no
// bot to a commit), unverified commits, teams, CODEOWNERS, retargeting, renamed files. Every
// REST request is checked against GitHub's OpenAPI description and every query against GitHub's
// GraphQL schema.
import { getOctokit } from "@actions/github";
import { afterEach, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../../src/adapters/github/client.js";
import { collectFacts, type CollectRequest } from "../../../src/adapters/github/collect-facts.js";
import type { GraphQLClient } from "../../../src/adapters/github/graphql-client.js";
import {
  collectFactsGraphQL,
  readPullRequest,
} from "../../../src/adapters/github/graphql-facts.js";
import { evaluate } from "../../../src/core/change-management/evaluate.js";
import type { ChangePolicy } from "../../../src/core/change-management/policy.js";
import {
  startGitHubStandIn,
  type Account,
  type GitHubStandIn,
  type PullRequestState,
  type RepositoryState,
} from "../../../src/dev/github-stand-in/index.js";
import { createOpenApiChecker, type OpenApiChecker } from "../../support/github-openapi.js";
import { NOW, policy } from "../../core/change-management/builder.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let alice: Account;
let bob: Account;
let bot: Account;
let web: RepositoryState;
let client: GitHubClient & GraphQLClient;

async function setUp() {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  alice = gh.state.addUser({ login: "alice", name: "Alice Author", email: "alice@example.com" });
  bob = gh.state.addUser({ login: "bob", name: "Bob Reviewer", email: "bob@example.com" });
  bot = gh.state.addBot("dependabot");
  web = gh.state.addRepository({ owner: "acme", name: "web", files: { "a.txt": "a\n" } });
  client = getOctokit("ghs_test", { baseUrl: gh.url }) as unknown as GitHubClient & GraphQLClient;
}

afterEach(async () => {
  await gh?.close();
});

/** Both readers on one pull request: their facts, verdicts and request counts. */
async function both(
  pr: PullRequestState,
  rules: ChangePolicy = policy({ required_checks: ["test"] }),
) {
  const request: CollectRequest = {
    repository: pr.repo.fullName,
    number: pr.number,
    event: "pull_request",
    lastPusher: null,
    policy: rules,
    now: NOW,
  };
  const start = gh.requests.length;
  const rest = await collectFacts(client, request);
  const middle = gh.requests.length;
  const graphql = await collectFactsGraphQL({ rest: client, graphql: client }, request);
  checker.assertClean();
  return {
    rest,
    graphql,
    verdicts: [evaluate(rest, rules, { now: NOW }), evaluate(graphql, rules, { now: NOW })],
    restRequests: middle - start,
    graphqlRequests: gh.requests.slice(middle).map((r) => `${r.method} ${r.route}`),
  };
}

function expectSame(result: Awaited<ReturnType<typeof both>>) {
  expect(result.graphql).toStrictEqual(result.rest);
  expect(result.verdicts[1]).toStrictEqual(result.verdicts[0]);
}

describe("GraphQL facts equal REST facts", () => {
  it("on a merged pull request with checks, statuses, labels and an approval: 1 query + 1 REST read", async () => {
    await setUp();
    const pr = web.addPullRequest({
      author: alice,
      body: "Fixes PAY-12",
      labels: ["docs", "backend"],
      commits: [
        { message: "Change\n\nCo-authored-by: Bob <bob@example.com>", files: { "a.txt": "1\n" } },
      ],
    });
    web.addCheckRun({ sha: pr.headSha, name: "test", conclusion: "success" });
    web.addCheckRun({ sha: pr.headSha, name: "test", conclusion: "failure" });
    web.addCheckRun({ sha: pr.headSha, name: "lint", status: "in_progress" });
    web.addStatus({ sha: pr.headSha, context: "ci/legacy", state: "success" });
    pr.addReview({ user: bob, state: "APPROVED" });
    pr.merge({ by: bob, method: "squash" });
    const result = await both(pr);
    expectSame(result);
    expect(result.rest.checks).toHaveLength(3);
    expect(result.rest.merged?.by.login).toBe("bob");
    expect(result.graphqlRequests).toEqual(["POST /graphql", "GET /repos/{owner}/{repo}/activity"]);
    expect(result.restRequests).toBeGreaterThanOrEqual(8);
  });

  it("past one page: 130 reviews, 120 files, 105 labels, and 260 commits (GitHub stops at 250)", async () => {
    await setUp();
    const files = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`f/${i}.txt`, `${i}\n`]),
    );
    const pr = web.addPullRequest({ author: alice, commits: [{ files }] });
    pr.addCommits(259, { author: alice });
    for (let i = 0; i < 130; i++) pr.addReview({ user: i % 2 ? bob : bot, state: "COMMENTED" });
    for (let i = 0; i < 105; i++) pr.addLabel(`label-${i}`);
    const result = await both(pr);
    expectSame(result);
    expect(result.rest.commits).toHaveLength(250);
    expect(result.rest.commits_complete).toBe(false);
    expect(result.rest.commit_count).toBe(260);
    expect(result.rest.reviews).toHaveLength(130);
    expect(result.rest.changed_files).toHaveLength(120);
    expect(result.rest.labels).toHaveLength(105);
    // One query, then the next pages of commits (×2), reviews, files and labels.
    expect(result.graphqlRequests.filter((r) => r === "POST /graphql")).toHaveLength(6);
  });

  it("from a fork, with a bot's commits and review, unverified and verified commits", async () => {
    await setUp();
    const fork = gh.state.addRepository({ owner: "alice", name: "web", files: { "a.txt": "a\n" } });
    const pr = web.addPullRequest({
      author: alice,
      headRepository: fork,
      head: "patch-1",
      commits: [
        { author: bot, files: { "a.txt": "bot\n" } },
        { author: { name: "Nobody", email: "nobody@example.com" }, files: { "b.txt": "b\n" } },
        { author: alice, verified: true, files: { "c.txt": "c\n" } },
      ],
    });
    pr.addReview({ user: bot, state: "APPROVED" });
    pr.addReview({ user: bob, state: "APPROVED" });
    const result = await both(pr);
    expectSame(result);
    expect(result.rest.head.repo_full_name).toBe("alice/web");
    expect(result.rest.commits[0]?.author).toMatchObject({ login: "dependabot[bot]", type: "Bot" });
    expect(result.rest.commits[1]?.unattributed).toBe(true);
    expect(result.rest.reviews[0]?.reviewer).toMatchObject({
      login: "dependabot[bot]",
      type: "Bot",
    });
  });

  it("with a renamed user, a dismissed review, a retargeted base and an empty description", async () => {
    await setUp();
    web.createBranch("release");
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "1\n" } }] });
    const first = pr.addReview({ user: bob, state: "APPROVED" });
    pr.dismissReview(first, { by: alice });
    pr.addReview({ user: bob, state: "CHANGES_REQUESTED" });
    pr.changeBase("release");
    bob.login = "robert"; // renamed after reviewing: identities are ids
    const result = await both(pr);
    expectSame(result);
    expect(result.rest.body).toBeNull();
    expect(result.rest.base.changed_at).toBeDefined();
    expect(result.rest.reviews.map((r) => [r.reviewer.login, r.state, r.dismissed])).toEqual([
      ["robert", "DISMISSED", true],
      ["robert", "CHANGES_REQUESTED", undefined],
    ]);
  });

  it("with team approvers and CODEOWNERS read at the base", async () => {
    await setUp();
    const owners = gh.state.addTeam({ org: "acme", slug: "owners", members: [bob] });
    web.commit({ files: { ".github/CODEOWNERS": "* @acme/owners\n" } });
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "1\n" } }] });
    pr.addReview({ user: bob, state: "APPROVED" });
    const rules = policy({
      required_checks: [],
      approvers: { codeowners: true, teams: ["acme/owners"] },
    });
    const result = await both(pr, rules);
    expectSame(result);
    expect(result.rest.codeowners?.path).toBe(".github/CODEOWNERS");
    expect(result.rest.team_members["acme/owners"]).toEqual([
      { id: bob.id, login: "bob", type: "User" },
    ]);
    expect(owners.slug).toBe("owners");
  });

  it("with a renamed file, whose old path only REST lists", async () => {
    await setUp();
    web.commit({ files: { "docs/old.md": "# doc\n" } });
    const pr = web.addPullRequest({
      author: alice,
      commits: [{ files: { "docs/old.md": null, "docs/new.md": "# doc\n" } }],
    });
    const result = await both(pr);
    expectSame(result);
    expect(result.rest.changed_files).toContainEqual({
      path: "docs/new.md",
      status: "renamed",
      previous_path: "docs/old.md",
    });
    expect(result.graphqlRequests).toContain("GET /repos/{owner}/{repo}/pulls/{pull_number}/files");
  });
});

describe("readPullRequest", () => {
  it("brings files at the base commit along in the same query, but no binary's text", async () => {
    await setUp();
    web.commit({ files: { "soc2.yml": "version: 1\n", "logo.bin": "\u0000\u0001" } });
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "1\n" } }] });
    const read = await readPullRequest(client, "acme/web", pr.number, {
      filesAt: { sha: pr.baseSha, paths: ["soc2.yml", "CODEOWNERS", "logo.bin"] },
    });
    expect(read.prefetched?.texts).toEqual(
      new Map([
        ["soc2.yml", "version: 1\n"],
        ["CODEOWNERS", null],
      ]),
    );
    expect(gh.requests).toHaveLength(1);
    checker.assertClean();
  });
});
