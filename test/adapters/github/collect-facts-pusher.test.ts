// Who pushed the head, as the collector (the Action's and the App's) records it in the facts:
// from the head branch's activity on the loopback GitHub stand-in, every request and answer
// checked against GitHub's OpenAPI description.
import { getOctokit } from "@actions/github";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubApiError, type GitHubClient } from "../../../src/adapters/github/client.js";
import { collectFacts, type CollectRequest } from "../../../src/adapters/github/collect-facts.js";
import { evaluate } from "../../../src/core/change-management/evaluate.js";
import type { Account as FactsAccount } from "../../../src/core/change-management/facts.js";
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
let octokit: GitHubClient;

async function setUp() {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  alice = gh.state.addUser({ login: "alice", name: "Alice Author", email: "alice@example.com" });
  bob = gh.state.addUser({ login: "bob", name: "Bob Reviewer", email: "bob@example.com" });
  web = gh.state.addRepository({ owner: "acme", name: "web", files: { "a.txt": "a\n" } });
  octokit = getOctokit("ghs_test", { baseUrl: gh.url }) as unknown as GitHubClient;
}

afterEach(async () => {
  await gh?.close();
});

const POLICY = policy({ required_checks: [] });

function collect(number: number, options: Partial<CollectRequest> = {}, client = octokit) {
  return collectFacts(client, {
    repository: "acme/web",
    number,
    event: "pull_request_review",
    lastPusher: null,
    policy: POLICY,
    now: NOW,
    ...options,
  });
}

/** The client, but the activity route answers `status` (a token without access, an old GHES). */
function refusingActivity(client: GitHubClient, status: number, headers = {}): GitHubClient {
  const refuse = (route: string) => {
    if (!route.includes("/activity")) return undefined;
    return Promise.reject(
      Object.assign(new Error(`HTTP ${status}`), { status, response: { headers } }),
    );
  };
  return {
    request: (route, parameters) => refuse(route) ?? client.request(route, parameters),
    paginate: (route, parameters) => refuse(route) ?? client.paginate(route, parameters),
  };
}

/** The issue's story: A opens a pull request, B pushes c2 authored as A, then B approves c2. */
function pushedByTheApprover() {
  const pr = web.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "1\n" } }] });
  pr.addCommit({ author: alice, pushedBy: bob, files: { "a.txt": "2\n" } });
  pr.addReview({ user: bob, state: "APPROVED" });
  return pr;
}

const login = (a: FactsAccount | null) => a?.login ?? null;

describe("the collector recovers the last pusher from the head branch's activity", () => {
  it("on a review run, finds B pushed the head B approves, and the verdict fails", async () => {
    await setUp();
    const pr = pushedByTheApprover();
    const facts = await collect(pr.number);
    expect(login(facts.last_pusher)).toBe("bob");
    const verdict = evaluate(facts, POLICY, { now: NOW });
    expect(verdict.result).toBe("fail");
    expect(verdict.rules.find((r) => r.rule === "separation-of-duties")?.reason).toMatch(
      /^bob pushed the head commit/,
    );
    checker.assertClean();
  });

  it("prefers the activity to a synchronize event about an older head", async () => {
    await setUp();
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "1\n" } }] });
    const seen = pr.headSha;
    pr.addCommit({ pushedBy: bob, files: { "a.txt": "2\n" } });
    const facts = await collect(pr.number, {
      event: "pull_request",
      lastPusher: { id: alice.id, login: "alice", type: "User" },
      pushedSha: seen,
    });
    expect(login(facts.last_pusher)).toBe("bob");
    checker.assertClean();
  });

  it("finds the author who created the branch at the head", async () => {
    await setUp();
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "1\n" } }] });
    expect(login((await collect(pr.number)).last_pusher)).toBe("alice");
    checker.assertClean();
  });

  it("merge queue: reads the pull request's head branch, not the queue branch", async () => {
    await setUp();
    const pr = pushedByTheApprover();
    const base = web.branchSha("main")!;
    const queued = web.commit({
      branch: `gh-readonly-queue/main/pr-${pr.number}-${base}`,
      author: alice,
      files: { "a.txt": "2\n" },
    });
    const facts = await collect(pr.number, {
      event: "merge_group",
      mergeGroup: {
        head_sha: queued.sha,
        head_ref: `refs/heads/gh-readonly-queue/main/pr-${pr.number}-${base}`,
        base_sha: base,
        base_ref: "main",
      },
    });
    expect(login(facts.last_pusher)).toBe("bob");
    checker.assertClean();
  });

  it("a pull request from a fork: reads the fork's activity", async () => {
    await setUp();
    const fork = gh.state.addRepository({ owner: bob, name: "web", files: { "a.txt": "a\n" } });
    const pr = web.addPullRequest({
      author: alice,
      headRepository: fork,
      pushedBy: bob,
      commits: [{ author: alice, files: { "a.txt": "1\n" } }],
    });
    const facts = await collect(pr.number);
    expect(facts.head.repo_full_name).toBe("bob/web");
    expect(login(facts.last_pusher)).toBe("bob");
    checker.assertClean();
  });
});

describe("when the activity cannot be read, the pusher stays unknown and the verdict fails closed", () => {
  it.each([403, 404])(
    "HTTP %i on a review run: unknown, and the rule says how to fix it",
    async (status) => {
      await setUp();
      const pr = pushedByTheApprover();
      const facts = await collect(pr.number, {}, refusingActivity(octokit, status));
      expect(facts.last_pusher).toBeNull();
      const verdict = evaluate(facts, POLICY, { now: NOW });
      expect(verdict.result).toBe("fail");
      expect(verdict.rules.find((r) => r.rule === "separation-of-duties")?.reason).toMatch(
        /is not recorded in the facts.*Fix: let the collector read the head branch's activity/,
      );
    },
  );

  it("a synchronize still names the pusher of the head it pushed", async () => {
    await setUp();
    const pr = pushedByTheApprover();
    const facts = await collect(
      pr.number,
      {
        event: "pull_request",
        lastPusher: { id: bob.id, login: "bob", type: "User" },
        pushedSha: pr.headSha,
      },
      refusingActivity(octokit, 403),
    );
    expect(login(facts.last_pusher)).toBe("bob");
  });

  it("a fork whose activity the token may not read (404): unknown", async () => {
    await setUp();
    const fork = gh.state.addRepository({ owner: bob, name: "web", files: { "a.txt": "a\n" } });
    const pr = web.addPullRequest({
      author: alice,
      headRepository: fork,
      pushedBy: bob,
      commits: [{ files: { "a.txt": "1\n" } }],
    });
    pr.addReview({ user: bob, state: "APPROVED" });
    const facts = await collect(pr.number, {}, refusingActivity(octokit, 404));
    expect(facts.last_pusher).toBeNull();
    expect(evaluate(facts, POLICY, { now: NOW }).result).toBe("fail");
  });

  it("a rate limit or a server error is an error, not an unknown pusher", async () => {
    await setUp();
    const pr = pushedByTheApprover();
    const limited = refusingActivity(octokit, 403, { "x-ratelimit-remaining": "0" });
    await expect(collect(pr.number, {}, limited)).rejects.toThrow(GitHubApiError);
    await expect(collect(pr.number, {}, refusingActivity(octokit, 500))).rejects.toThrow(
      /reading the activity of feature\/\d+ in acme\/web failed \(HTTP 500\)/,
    );
  });
});
