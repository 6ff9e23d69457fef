import { createHmac } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningApp } from "../../app/server.js";
import {
  startGitHubStandIn,
  type Account,
  type GitHubStandIn,
  type PullRequestState,
  type RepositoryState,
} from "../../src/dev/github-stand-in/index.js";
import { createOpenApiChecker, type OpenApiChecker } from "../support/github-openapi.js";
import { tempDir } from "../helpers/temp-dir.js";
import { FakeStore } from "./fake-store.js";
import { appKey, captureLog, example, TestOctokit } from "./support.js";

// The App's real server against the loopback GitHub API stand-in (which hashes git objects and
// merges like GitHub): signed deliveries built from the stand-in's own answers, every request and
// answer checked against the OpenAPI subset.

const SECRET = "stand-in-secret";
const POLICY = `version: 1
organization: { name: Acme }
system: { name: Acme Web, description: The web application., boundaries: {} }
scope: { categories: [security] }
audit: { type: 1, as_of: "2026-01-01" }
owners: { security-lead: { title: Head of Security } }
change_management:
  branches: [main]
  required_approvals: 1
`;

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let app: RunningApp;
let web: RepositoryState;
let alice: Account;
let bob: Account;
let deliveries = 0;

async function setUp(
  options: { store?: FakeStore; env?: NodeJS.ProcessEnv; delays?: number[] } = {},
) {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  alice = gh.state.addUser({ login: "alice", name: "Alice Author", email: "alice@example.com" });
  bob = gh.state.addUser({ login: "bob", name: "Bob Reviewer", email: "bob@example.com" });
  web = gh.state.addRepository({
    owner: "acme",
    name: "web",
    files: { "soc2.yml": POLICY, "src/app.ts": "export {};\n" },
  });
  gh.state.addInstallation({ id: 42, account: "acme" });
  app = await startServer({
    env: {
      APP_ID: "123",
      PRIVATE_KEY: appKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: "0",
      DELIVERY_QUEUE_DIR: join(await tempDir("soc2-app-queue-"), "deliveries"),
      DELIVERY_RETRY_BASE_MS: "5",
      ...options.env,
    },
    ...(options.store ? { store: options.store } : {}),
    log: captureLog().log,
    Octokit: TestOctokit,
    pullLookupDelaysMs: options.delays ?? [],
  });
}

afterEach(async () => {
  await app?.close();
  await gh?.close();
});

async function api(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${gh.url}${path}`, { headers: { authorization: "token test" } });
  return (await response.json()) as Record<string, unknown>;
}

async function deliver(event: string, payload: Record<string, unknown>) {
  const body = JSON.stringify({ ...payload, installation: { id: 42 } });
  const response = await fetch(app.webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `delivery-${++deliveries}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  expect(response.status, await response.clone().text()).toBe(202);
  await app.settled();
}

const sender = (who: Account) => ({ id: who.id, login: who.login, type: "User" });

async function closed(pr: PullRequestState, by: Account) {
  const payload = example("pull_request", "closed");
  return {
    ...payload,
    number: pr.number,
    pull_request: await api(`/repos/acme/web/pulls/${pr.number}`),
    repository: await api("/repos/acme/web"),
    sender: sender(by),
  };
}

/** The push event GitHub sends when `after` lands on main. */
async function pushed(before: string, after: string, by: Account, commits: string[]) {
  const payload = example("push");
  const repository = await api("/repos/acme/web");
  return {
    ...payload,
    ref: "refs/heads/main",
    before,
    after,
    created: false,
    deleted: false,
    forced: false,
    commits: await Promise.all(
      commits.map(async (sha) => {
        const c = await api(`/repos/acme/web/commits/${sha}`);
        const git = c.commit as Record<string, Record<string, string>>;
        return {
          id: sha,
          message: git.message,
          timestamp: git.author!.date,
          author: { name: git.author!.name, email: git.author!.email, username: alice.login },
          committer: { name: git.committer!.name, email: git.committer!.email },
          added: [],
          removed: [],
          modified: ["src/app.ts"],
        };
      }),
    ),
    repository: { ...repository, pushed_at: 1772445600 },
    sender: sender(by),
  };
}

describe("against the GitHub API stand-in", () => {
  it.each(["merge", "squash", "rebase"] as const)(
    "records a %s merge with the method read from git and the verdict at merge",
    async (method) => {
      const store = new FakeStore();
      await setUp({ store });
      const pr = web.addPullRequest({
        author: alice,
        title: "PAY-7: greet",
        commits: [
          { files: { "src/app.ts": "export const a = 1;\n" } },
          { files: { "src/app.ts": "export const a = 2;\n" } },
        ],
      });
      pr.addReview({ user: bob, state: "APPROVED" });
      const before = web.branchSha("main")!;
      const mergeSha = pr.merge({ by: bob, method });
      await deliver("pull_request", await closed(pr, bob));
      const [record] = store.ofKind("change-record");
      expect(record?.id).toMatch(new RegExp(`^changes/acme/web/\\d{4}/\\d{2}/pr-${pr.number}$`));
      expect(record?.content).toMatchObject({
        change: { merge_method: method, merged_sha: mergeSha, merged_by: { login: "bob" } },
        reviews: [{ reviewer: { login: "bob" }, state: "APPROVED", commit_id: pr.headSha }],
        verdict: { result: "pass" },
      });
      expect((record?.content.commits as unknown[]).length).toBe(2);

      // The push of the merge to main: its commits belong to the merged pull request.
      const landed = web
        .log("main")
        .filter((c) => c.sha !== before && !web.log(before).some((b) => b.sha === c.sha));
      await deliver(
        "push",
        await pushed(before, mergeSha, bob, landed.map((c) => c.sha).reverse()),
      );
      expect(store.records.size).toBe(1);
      checker.assertClean();
    },
  );

  it("records a direct push to main as an exception", async () => {
    const store = new FakeStore();
    await setUp({ store });
    const before = web.branchSha("main")!;
    const commit = web.commit({ author: alice, message: "hotfix", files: { "src/app.ts": "x\n" } });
    await deliver("push", await pushed(before, commit.sha, alice, [commit.sha]));
    const [record] = store.ofKind("change-record");
    expect(record?.content).toMatchObject({
      change: { type: "direct-push", merged_sha: commit.sha, merged_by: { login: "alice" } },
      commits: [{ sha: commit.sha, message: "hotfix" }],
      exception: { type: "direct-push" },
    });
    checker.assertClean();
  });

  it.each(["git", "GitHub API"] as const)(
    "takes the last pusher from its own synchronize records (%s store) when the activity API cannot be read",
    async (storeKind) => {
      const evidenceDir = await tempDir("soc2-app-evidence-");
      await setUp({
        env:
          storeKind === "git"
            ? { EVIDENCE_GIT_DIR: evidenceDir }
            : { EVIDENCE_REPO: "acme/evidence" },
      });
      const evidence = gh.state.addRepository({
        owner: "acme",
        name: "evidence",
        files: { "README.md": "x\n" },
      });
      // A private fork the token may not read: the activity API answers 404, and names nobody.
      gh.state.faults.push({
        method: "GET",
        pathPattern: "/repos/{owner}/{repo}/activity",
        status: 404,
        times: 1000,
      });
      const sync = example("pull_request", "synchronize");
      // Bob pushes a commit (authored as Alice) onto Alice's pull request, then approves it himself.
      const pushedByBob = web.addPullRequest({
        author: alice,
        commits: [{ files: { "src/a.ts": "a\n" } }],
      });
      const before = pushedByBob.headSha;
      pushedByBob.addCommit({ author: alice, pushedBy: bob, files: { "src/a.ts": "b\n" } });
      await deliver("pull_request", {
        ...sync,
        number: pushedByBob.number,
        before,
        after: pushedByBob.headSha,
        pull_request: await api(`/repos/acme/web/pulls/${pushedByBob.number}`),
        repository: await api("/repos/acme/web"),
        sender: sender(bob),
      });
      // The same story without the synchronize delivery: the App cannot know who pushed.
      const unknown = web.addPullRequest({
        author: alice,
        commits: [{ files: { "src/c.ts": "c\n" } }],
      });
      unknown.addCommit({ author: alice, pushedBy: bob, files: { "src/c.ts": "d\n" } });
      for (const pr of [pushedByBob, unknown]) {
        pr.addReview({ user: bob, state: "APPROVED" });
        pr.merge({ by: bob, method: "merge" });
        await deliver("pull_request", await closed(pr, bob));
      }

      const record = async (pr: PullRequestState) => {
        const name = (f: string) =>
          /^evidence\/changes\/acme\/web\/.*\/pr-(\d+)\.yml$/.exec(f)?.[1];
        const text =
          storeKind === "git"
            ? await readFile(
                join(
                  evidenceDir,
                  (await readdir(evidenceDir, { recursive: true }))
                    .map((f) => f.split("\\").join("/"))
                    .find((f) => name(f) === String(pr.number))!,
                ),
                "utf8",
              )
            : evidence.readFile(
                evidence.listFiles("main").find((f) => name(f) === String(pr.number))!,
              )!;
        return parse(text) as {
          content: {
            facts: { last_pusher: unknown };
            verdict: { rules: { rule: string; result: string; reason: string }[] };
          };
        };
      };
      const sod = (r: Awaited<ReturnType<typeof record>>) =>
        r.content.verdict.rules.find((rule) => rule.rule === "separation-of-duties");

      const known = await record(pushedByBob);
      expect(known.content.facts.last_pusher).toMatchObject({ login: "bob", id: bob.id });
      expect(sod(known)).toMatchObject({ result: "fail", reason: expect.stringContaining("bob") });
      const failedClosed = await record(unknown);
      expect(failedClosed.content.facts.last_pusher).toBeNull();
      expect(sod(failedClosed)).toMatchObject({
        result: "fail",
        reason: expect.stringContaining("not recorded"),
      });
      checker.assertClean();
    },
  );

  it("writes through the GitHub API to EVIDENCE_REPO as the App's installation", async () => {
    await setUp({ env: { EVIDENCE_REPO: "acme/evidence" } });
    const evidence = gh.state.addRepository({
      owner: "acme",
      name: "evidence",
      files: { "README.md": "x\n" },
    });
    const payload = example("pull_request_review", "submitted");
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "src/b.ts": "b\n" } }] });
    await deliver("pull_request_review", {
      ...payload,
      pull_request: await api(`/repos/acme/web/pulls/${pr.number}`),
      repository: await api("/repos/acme/web"),
      review: { ...payload.review, user: sender(bob), commit_id: pr.headSha, state: "approved" },
      sender: sender(bob),
    });
    const files = evidence.listFiles("main").filter((f) => f.startsWith("evidence/reviews/"));
    expect(files).toEqual([
      expect.stringMatching(
        /^evidence\/reviews\/acme\/web\/pr-\d+\/\d+-submitted-delivery-\d+\.yml$/,
      ),
    ]);
    const writes = gh.requests.filter(
      (r) => r.method !== "GET" && r.url.includes("/repos/acme/evidence/"),
    );
    expect(writes.length).toBeGreaterThan(0);
    expect(
      writes.every((r) => r.auth?.kind === "installation-token" && r.auth.installationId === 42),
    ).toBe(true);
    checker.assertClean();
  });

  it("records a merge and its push alike with GraphQL and REST, GraphQL at 2 requests and 1", async () => {
    // The same story twice, on fresh stand-ins (same ids and SHAs), once per GITHUB_API.
    const runs = [];
    for (const api of ["rest", "graphql"]) {
      const store = new FakeStore();
      await setUp({ store, env: { GITHUB_API: api } });
      const pr = web.addPullRequest({
        author: alice,
        labels: ["feature"],
        commits: [
          { files: { "src/app.ts": "export const a = 1;\n" } },
          { files: { "src/app.ts": "export const a = 2;\n" } },
        ],
      });
      pr.addReview({ user: bob, state: "APPROVED" });
      web.addCheckRun({ sha: pr.headSha, name: "test" });
      const before = web.branchSha("main")!;
      const mergeSha = pr.merge({ by: bob, method: "merge" });
      const merge = await closed(pr, bob);
      const push = await pushed(before, mergeSha, bob, [...pr.commitShas, mergeSha]);
      // The handler's own requests: those made with the installation's token. The App's JWT
      // requests (token mints, the redelivery scan's first round, which may come late on a
      // loaded machine) are not the handler's reads.
      const reads = () => gh.requests.filter((r) => r.auth?.kind === "installation-token").length;
      const start = reads();
      await deliver("pull_request", merge);
      const afterMerge = reads();
      await deliver("push", push);
      runs.push({
        record: store.ofKind("change-record")[0]?.content,
        records: store.records.size,
        merge: afterMerge - start,
        push: reads() - afterMerge,
      });
      checker.assertClean();
      if (api === "rest") await Promise.all([app.close(), gh.close()]); // afterEach closes the other
    }
    const [rest, graphql] = runs;
    expect(graphql!.records).toBe(1); // the push of the merge is no direct push
    const { facts: restFacts, ...restRecord } = rest!.record as Record<string, unknown>;
    const { facts: graphqlFacts, ...graphqlRecord } = graphql!.record as Record<string, unknown>;
    const undated = (facts: unknown) => ({ ...(facts as object), collected_at: undefined });
    expect(undated(graphqlFacts)).toStrictEqual(undated(restFacts));
    const local = (change: unknown) => ({ ...(change as object), url: undefined }); // the port differs
    expect(local(graphqlRecord.change)).toStrictEqual(local(restRecord.change));
    expect(graphqlRecord.commits).toStrictEqual(restRecord.commits);
    expect(graphqlRecord.reviews).toStrictEqual(restRecord.reviews);
    expect(graphqlRecord.checks).toStrictEqual(restRecord.checks);
    expect(graphql).toMatchObject({ merge: 2, push: 1 });
    expect(rest!.merge).toBeGreaterThanOrEqual(10);
    expect(rest!.push).toBeGreaterThanOrEqual(4);
  });

  it("asks GraphQL again about merged commits GitHub had not linked to their pull request yet", async () => {
    const store = new FakeStore();
    await setUp({ store, delays: [1] });
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "src/app.ts": "1\n" } }] });
    pr.addReview({ user: bob, state: "APPROVED" });
    const before = web.branchSha("main")!;
    const mergeSha = pr.merge({ by: bob, method: "squash" });
    web.unindexedCommits.add(mergeSha);
    // GitHub links the commit while the App waits: before its second query is answered.
    let queries = 0;
    gh.state.faultInjector = (request) => {
      if (request.route === "/graphql" && ++queries === 2) web.unindexedCommits.clear();
      return undefined;
    };
    await deliver("push", await pushed(before, mergeSha, bob, [mergeSha]));
    expect(queries).toBe(2);
    expect(store.records.size).toBe(0);
    checker.assertClean();
  });

  it("records a direct push with REST when GitHub has no GraphQL endpoint", async () => {
    const store = new FakeStore();
    await setUp({ store });
    gh.state.faults.push({ method: "POST", pathPattern: "/api/graphql", status: 404, times: 5 });
    const before = web.branchSha("main")!;
    const commit = web.commit({ author: alice, message: "hotfix", files: { "src/app.ts": "x\n" } });
    await deliver("push", await pushed(before, commit.sha, alice, [commit.sha]));
    const [record] = store.ofKind("change-record");
    expect(record?.content).toMatchObject({ exception: { type: "direct-push" } });
    const routes = gh.requests.map((r) => r.route);
    expect(routes).toContain("/repos/{owner}/{repo}/commits/{commit_sha}/pulls");
    expect(routes.filter((r) => r === "/graphql")).toHaveLength(1);
  });
});
