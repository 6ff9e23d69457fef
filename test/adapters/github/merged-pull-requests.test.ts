// The backfill reader: facts of a repository's merged pull requests, 100 per GraphQL query, equal
// to collectFacts' for each, at a few requests for hundreds of pull requests. Every REST request
// is checked against GitHub's OpenAPI description and every query against GitHub's schema.
import { getOctokit } from "@actions/github";
import { afterEach, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../../src/adapters/github/client.js";
import { collectFacts } from "../../../src/adapters/github/collect-facts.js";
import type { GraphQLClient } from "../../../src/adapters/github/graphql-client.js";
import {
  mergedPullRequestFacts,
  type BackfillOptions,
  type MergedPullRequest,
} from "../../../src/adapters/github/merged-pull-requests.js";
import {
  startGitHubStandIn,
  type Account,
  type GitHubStandIn,
  type RepositoryState,
} from "../../../src/dev/github-stand-in/index.js";
import { createOpenApiChecker, type OpenApiChecker } from "../../support/github-openapi.js";
import { NOW, policy } from "../../core/change-management/builder.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let alice: Account;
let bob: Account;
let web: RepositoryState;
let client: GitHubClient & GraphQLClient;

afterEach(async () => {
  await gh?.close();
});

async function setUp() {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  alice = gh.state.addUser({ login: "alice", email: "alice@example.com" });
  bob = gh.state.addUser({ login: "bob", email: "bob@example.com" });
  web = gh.state.addRepository({
    owner: "acme",
    name: "web",
    files: { ".github/CODEOWNERS": "* @acme/owners\n" },
  });
  gh.state.addTeam({ org: "acme", slug: "owners", members: [bob] });
  web.createBranch("release");
  client = getOctokit("ghs_test", { baseUrl: gh.url }) as unknown as GitHubClient & GraphQLClient;
}

/** `count` pull requests, each merged by bob after his approval; every tenth into release. */
function mergeMany(count: number) {
  for (let i = 0; i < count; i++) {
    const pr = web.addPullRequest({
      author: alice,
      base: i % 10 === 9 ? "release" : "main",
      commits: [{ files: { [`f/${i % 40}.txt`]: `${i}\n` } }],
    });
    pr.addReview({ user: bob, state: "APPROVED" });
    web.addCheckRun({ sha: pr.headSha, name: "test" });
    pr.merge({ by: bob, method: i % 2 ? "squash" : "merge" });
  }
}

const RULES = policy({ required_checks: ["test"], approvers: { codeowners: true } });

async function all(options: Partial<BackfillOptions> = {}): Promise<MergedPullRequest[]> {
  const out: MergedPullRequest[] = [];
  for await (const merged of mergedPullRequestFacts(client, "acme/web", {
    since: "2000-01-01T00:00:00Z",
    policy: RULES,
    now: NOW,
    ...options,
  }))
    out.push(merged);
  return out;
}

describe("mergedPullRequestFacts", () => {
  it("reads 250 merged pull requests in a handful of requests, newest update first", async () => {
    await setUp();
    mergeMany(250);
    web.addPullRequest({ author: alice, commits: [{ files: { "open.txt": "x\n" } }] }); // not merged
    const merged = await all();
    expect(merged).toHaveLength(250);
    expect(merged.map((m) => m.number)).toEqual(Array.from({ length: 250 }, (_, i) => 250 - i));
    // 3 pages, 3 CODEOWNERS queries (one per page), the team once, the activity in 5 pages.
    const requests = gh.requests.map((r) => `${r.method} ${r.route}`);
    expect(requests.filter((r) => r === "POST /graphql")).toHaveLength(6);
    expect(requests.filter((r) => r.includes("/teams/"))).toHaveLength(1);
    expect(requests.length / 250).toBeLessThanOrEqual(0.1);
    expect(merged[0]?.facts).toMatchObject({
      number: 250,
      codeowners: { path: ".github/CODEOWNERS" },
      team_members: { "acme/owners": [{ login: "bob" }] },
      last_pusher: { login: "alice" },
      merged: { by: { login: "bob" } },
    });
    checker.assertClean();
  });

  it("gives each pull request the facts collectFacts gives it", async () => {
    await setUp();
    mergeMany(12);
    const fork = gh.state.addRepository({ owner: "alice", name: "web" });
    const forked = web.addPullRequest({
      author: alice,
      headRepository: fork,
      head: "patch",
      commits: [{ files: { "a.txt": "fork\n" } }],
    });
    forked.merge({ by: bob });
    web.commit({ files: { "docs/old.md": "# doc\n" } });
    const renamed = web.addPullRequest({
      author: alice,
      commits: [{ files: { "docs/old.md": null, "docs/new.md": "# doc\n" } }],
    });
    renamed.merge({ by: bob, method: "rebase" });
    for (const m of await all()) {
      const rest = await collectFacts(client, {
        repository: "acme/web",
        number: m.number,
        event: "pull_request",
        lastPusher: null,
        policy: RULES,
        now: NOW,
      });
      expect(m.facts, `#${m.number}`).toStrictEqual(rest);
    }
    checker.assertClean();
  });

  it("stops at `since` and keeps to one base branch", async () => {
    await setUp();
    mergeMany(30);
    const newest = await all({ pageSize: 10, base: "main" });
    expect(newest.every((m) => m.facts.base.ref === "main")).toBe(true);
    expect(newest).toHaveLength(27);
    const cut = newest[5]!.updatedAt;
    const since = await all({ pageSize: 10, base: "main", since: cut });
    expect(since.map((m) => m.number)).toEqual(newest.slice(0, 6).map((m) => m.number));
  });
});
