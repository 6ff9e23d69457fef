// A story on the GitHub API stand-in for the reconciliation tests: the App's real server records
// what is delivered to it, and helpers make the changes GitHub would show whether or not a
// webhook told the App (merges, a direct push, a force push, a deleted protected branch).
import { join } from "node:path";
import { afterEach, expect } from "vitest";
import { startServer, type RunningApp } from "../../app/server.js";
import { deliver } from "../../src/dev/demo/deliver.js";
import {
  startGitHubStandIn,
  type Account,
  type GitHubStandIn,
  type PullRequestState,
  type RepositoryState,
} from "../../src/dev/github-stand-in/index.js";
import { appKey, captureLog, example, TestOctokit } from "../app/support.js";
import { runCli } from "../helpers/capture.js";
import { gitAt, TEST_NOW } from "../helpers/clock.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createOpenApiChecker, type OpenApiChecker } from "./github-openapi.js";

const SECRET = "reconcile-secret";
const ZERO = "0".repeat(40);

export const POLICY = `version: 1
organization: { name: Acme }
system: { name: Acme Web, description: The web application., boundaries: {} }
scope: { categories: [security] }
audit: { type: 1, as_of: "2026-01-01" }
owners: { security-lead: { title: Head of Security } }
change_management:
  branches: [main, "release/*"]
  required_approvals: 1
`;

export interface Story {
  gh: GitHubStandIn;
  checker: OpenApiChecker;
  /** The App's real server (started by startStory unless deferred, or by startApp). */
  readonly app: RunningApp;
  /** (Re)starts the App with these settings on top of the story's. */
  startApp(env?: Record<string, string>): Promise<void>;
  logs: ReturnType<typeof captureLog>;
  /** DELIVERY_QUEUE_DIR: the journal, and the reconciler's checkpoints. */
  queueDir: string;
  web: RepositoryState;
  alice: Account;
  bob: Account;
  /** The evidence repository (a compliance repository made by soc2 init), the App's git store. */
  evidence: string;
  /** The settings the CLI reads (set on process.env by `withCliEnv`). */
  cliEnv: Record<string, string>;
  /** Sends a signed delivery to the App and waits until it is handled. */
  deliver(event: string, payload: Record<string, unknown>): Promise<void>;
  /** The pull_request.closed payload of a merged pull request, from the stand-in's answers. */
  closed(pr: PullRequestState, by: Account): Promise<Record<string, unknown>>;
  /** The push payload of `after` landing on a branch. */
  pushed(
    branch: string,
    before: string,
    after: string,
    by: Account,
  ): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

let deliveries = 0;

/** The stand-in, an evidence repository made by `soc2 init`, and the App writing to it with git. */
export async function startStory(options: { deferApp?: boolean } = {}): Promise<Story> {
  const checker = createOpenApiChecker();
  const gh = await startGitHubStandIn({
    onRequest: checker.onRequest,
    onResponse: checker.onResponse,
  });
  const alice = gh.state.addUser({
    login: "alice",
    name: "Alice Author",
    email: "alice@example.com",
  });
  const bob = gh.state.addUser({ login: "bob", name: "Bob Reviewer", email: "bob@example.com" });
  const web = gh.state.addRepository({
    owner: "acme",
    name: "web",
    files: { "soc2.yml": POLICY, "src/app.ts": "export {};\n" },
  });
  gh.state.addInstallation({ id: 42, account: "acme" });

  const evidence = join(await tempDir("soc2-reconcile-"), "compliance");
  expect((await runCli("init", evidence, "--organization", "Acme")).code).toBe(0);
  const git = gitAt(evidence, new Date(TEST_NOW.getTime() - 7_200_000));
  await git.init(["-b", "main"]);
  await git.add(["-A", "."]).commit("soc2 init");

  // The App's clock runs before the CLI's (TEST_NOW): the chain's recorded_at only goes forward.
  let appNow = TEST_NOW.getTime() - 3_600_000;
  const queueDir = join(await tempDir("soc2-reconcile-queue-"), "deliveries");
  const startApp = (env: Record<string, string> = {}) =>
    startServer({
      env: {
        APP_ID: "123",
        PRIVATE_KEY: appKey(),
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: gh.host,
        GHE_PROTOCOL: "http",
        HOST: "127.0.0.1",
        PORT: "0",
        EVIDENCE_GIT_DIR: evidence,
        DELIVERY_QUEUE_DIR: queueDir,
        DELIVERY_RETRY_BASE_MS: "5",
        ...env,
      },
      now: () => new Date((appNow += 1000)),
      log: logs.log,
      Octokit: TestOctokit,
      pullLookupDelaysMs: [],
    });
  const logs = captureLog();
  let app = options.deferApp ? undefined : await startApp();

  const api = async (path: string) =>
    (await (
      await fetch(`${gh.url}${path}`, { headers: { authorization: "token test" } })
    ).json()) as Record<string, unknown>;
  const sender = (who: Account) => ({ id: who.id, login: who.login, type: "User" });

  return {
    gh,
    checker,
    get app() {
      if (!app) throw new Error("the App is not started: call startApp");
      return app;
    },
    async startApp(env) {
      await app?.close();
      app = await startApp(env);
    },
    logs,
    queueDir,
    web,
    alice,
    bob,
    evidence,
    cliEnv: { GITHUB_TOKEN: "ghp_reconcile", GITHUB_API_URL: gh.url, EVIDENCE_GIT_DIR: evidence },
    async deliver(event, payload) {
      if (!app) throw new Error("the App is not started: call startApp");
      const running = app;
      const { status } = await deliver(running.webhookUrl, SECRET, {
        id: `delivery-${++deliveries}`,
        event,
        payload: { ...payload, installation: { id: 42 } },
      });
      expect(status).toBe(202);
      await running.settled();
    },
    async closed(pr, by) {
      return {
        ...example("pull_request", "closed"),
        number: pr.number,
        pull_request: await api(`/repos/acme/web/pulls/${pr.number}`),
        repository: await api("/repos/acme/web"),
        sender: sender(by),
      };
    },
    async pushed(branch, before, after, by) {
      const activity = web.activities.find((a) => a.after === after && a.before === before);
      const commits =
        after === ZERO
          ? []
          : ((await api(`/repos/acme/web/compare/${before}...${after}`)).commits as {
              sha: string;
              commit: {
                message: string;
                author: Record<string, string>;
                committer: Record<string, string>;
              };
            }[]);
      return {
        ...example("push"),
        ref: `refs/heads/${branch}`,
        before,
        after,
        created: false,
        deleted: after === ZERO,
        forced: activity?.type === "force_push",
        commits: commits.map((c) => ({
          id: c.sha,
          message: c.commit.message,
          timestamp: c.commit.author!.date,
          author: { name: c.commit.author!.name, email: c.commit.author!.email },
          committer: { name: c.commit.committer!.name, email: c.commit.committer!.email },
          added: [],
          removed: [],
          modified: ["src/app.ts"],
        })),
        repository: {
          ...(await api("/repos/acme/web")),
          pushed_at: Date.parse(activity!.at) / 1000,
        },
        sender: sender(by),
      };
    },
    async close() {
      await app?.close();
      await gh.close();
    },
  };
}

/** A pull request by alice, approved by bob (or not), merged by `by`. */
export function mergedPullRequest(
  web: RepositoryState,
  people: { author: Account; reviewer?: Account; by: Account },
  file: string,
  method: "merge" | "squash" | "rebase" = "merge",
): PullRequestState {
  const pr = web.addPullRequest({
    author: people.author,
    title: `Change ${file}`,
    commits: [{ files: { [file]: `export const x = "${file}";\n` } }],
  });
  if (people.reviewer) pr.addReview({ user: people.reviewer, state: "APPROVED" });
  pr.merge({ by: people.by, method });
  return pr;
}

/** Rewrites a branch onto a new commit on top of `onto`, as `git push --force` does. */
export function forcePush(
  web: RepositoryState,
  branch: string,
  onto: string,
  by: Account,
  message: string,
): { before: string; after: string } {
  const before = web.branchSha(branch)!;
  const commit = web.buildCommit([onto], { message, files: { "src/forced.ts": "x\n" } }, by);
  web.git.refs.set(`refs/heads/${branch}`, commit.sha);
  web.recordActivity({
    ref: `refs/heads/${branch}`,
    before,
    after: commit.sha,
    type: "force_push",
    actor: by,
    at: commit.committer.date,
  });
  return { before, after: commit.sha };
}

/** Creates a branch and deletes it, as GitHub's activity shows a deletion. */
export function createAndDelete(web: RepositoryState, branch: string, by: Account): string {
  const sha = web.createBranch(branch);
  web.git.refs.delete(`refs/heads/${branch}`);
  web.recordActivity({
    ref: `refs/heads/${branch}`,
    before: sha,
    after: ZERO,
    type: "branch_deletion",
    actor: by,
    at: web.state.clock.stamp(),
  });
  return sha;
}

/** Runs `fn` with the CLI's settings in process.env, then restores it. */
export async function withCliEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** Starts a story for each test that asks, and closes it after the test. */
export function storyPerTest(): (options?: { deferApp?: boolean }) => Promise<Story> {
  let story: Story | undefined;
  afterEach(async () => {
    await story?.close();
    story = undefined;
  });
  return async (options) => (story = await startStory(options));
}
