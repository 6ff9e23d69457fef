import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  startGitHubStandIn,
  type Account,
  type GitHubStandIn,
  type PullRequestState,
  type RepositoryState,
} from "../../src/dev/github-stand-in/index.js";
import { reviewFile } from "../helpers/exception-fixtures.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import { createOpenApiChecker } from "../support/github-openapi.js";
import { examplePayload, runAction } from "./run-action.js";

const root = new URL("../../", import.meta.url).pathname;

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
let checker: ReturnType<typeof createOpenApiChecker>;
let alice: Account;
let bob: Account;
let web: RepositoryState;

beforeAll(() => {
  if (!existsSync(join(root, "dist/index.js")))
    throw new Error("dist/index.js is missing: run npm run bundle");
});

async function setUp() {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  alice = gh.state.addUser({ login: "alice", name: "Alice Author", email: "alice@example.com" });
  bob = gh.state.addUser({ login: "bob", name: "Bob Reviewer", email: "bob@example.com" });
  web = gh.state.addRepository({
    owner: "acme",
    name: "web",
    files: { "soc2.yml": POLICY, "src/app.ts": "export {};\n" },
  });
}

afterEach(async () => {
  await gh?.close();
});

/** A real pull_request payload, with this pull request's current state as the stand-in serves it. */
async function pullRequestEvent(pr: PullRequestState, action: string, sender: Account) {
  const payload = examplePayload("pull_request", action);
  const response = await fetch(`${gh.url}/repos/acme/web/pulls/${pr.number}`, {
    headers: { authorization: "token ghs_test" },
  });
  const repo = await (
    await fetch(`${gh.url}/repos/acme/web`, { headers: { authorization: "token ghs_test" } })
  ).json();
  payload.number = pr.number;
  payload.pull_request = await response.json();
  payload.repository = repo;
  payload.sender = {
    ...(payload.sender as object),
    id: sender.id,
    login: sender.login,
    type: "User",
  };
  return payload;
}

async function run(
  pr: PullRequestState,
  action: string,
  sender: Account,
  inputs: Record<string, string> = {},
) {
  const dir = await tempDir("soc2-action-");
  return runAction({
    dir,
    apiUrl: gh.url,
    eventName: "pull_request",
    payload: await pullRequestEvent(pr, action, sender),
    repository: "acme/web",
    inputs,
  });
}

describe("the bundled Action, run as GitHub runs it against a loopback GitHub API", () => {
  it("passes a pull request approved on its head by someone else", async () => {
    await setUp();
    const pr = web.addPullRequest({
      author: alice,
      title: "Add greeting",
      commits: [{ files: { "src/greeting.ts": "export const hi = 1;\n" } }],
    });
    pr.addReview({ user: bob, state: "APPROVED" });
    const result = await run(pr, "synchronize", alice);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.outputs.result).toBe("pass");
    expect(result.summary).toMatch(/^## ✅ Pull request #\d+ meets the change-management policy/m);
    expect(result.summary).toMatch(
      /\| `required-approvals` \| ✅ pass \| 1 of 1 required approval\(s\): bob/,
    );
    const facts = JSON.parse(await readFile(result.outputs["facts-path"]!, "utf8"));
    expect(facts).toMatchObject({
      number: pr.number,
      author: { login: "alice" },
      last_pusher: { login: "alice" },
    });
    const verdict = JSON.parse(await readFile(result.outputs["verdict-path"]!, "utf8"));
    expect(verdict.result).toBe("pass");
    checker.assertClean();
  });

  it("fails a self-approved pull request, saying why and what to do", async () => {
    await setUp();
    const pr = web.addPullRequest({
      author: alice,
      title: "Self-approved",
      commits: [{ files: { "src/x.ts": "x\n" } }],
    });
    pr.addReview({ user: alice, state: "COMMENTED" });
    // GitHub refuses an author's own approval; a co-worker pushing then approving is the real case.
    pr.addCommit({
      author: { name: "Bob Reviewer", email: "bob@example.com" },
      files: { "src/y.ts": "y\n" },
    });
    pr.addReview({ user: bob, state: "APPROVED" });
    const result = await run(pr, "synchronize", bob);
    expect(result.code).toBe(1);
    expect(result.outputs.result).toBe("fail");
    expect(result.summary).toMatch(
      /^## ❌ Pull request #\d+ does not meet the change-management policy/m,
    );
    expect(result.summary).toMatch(/### What to do next\n\n- \*\*separation-of-duties\*\*: .*bob/);
    expect(result.stdout).toMatch(/::error title=soc2%3A separation-of-duties::/);
    expect(result.stdout).toMatch(
      /::error::soc2: pull request #\d+ does not meet the change-management policy/,
    );
    checker.assertClean();
  });

  it("fails a pull request whose approval predates the last push", async () => {
    await setUp();
    const pr = web.addPullRequest({
      author: alice,
      title: "Stale approval",
      commits: [{ files: { "src/a.ts": "a\n" } }],
    });
    const approved = pr.headSha;
    pr.addReview({ user: bob, state: "APPROVED" });
    pr.addCommit({ files: { "src/a.ts": "b\n" } });
    const result = await run(pr, "synchronize", alice);
    expect(result.code).toBe(1);
    expect(result.outputs.result).toBe("fail");
    expect(result.summary).toContain("approval-on-head");
    expect(result.summary).toContain(approved.slice(0, 7));
    expect(result.summary).toContain(pr.headSha.slice(0, 7));
    checker.assertClean();
  });

  it("reads the policy from the base commit, so a pull request cannot weaken it", async () => {
    await setUp();
    const pr = web.addPullRequest({
      author: alice,
      title: "Weaken the policy",
      commits: [
        { files: { "soc2.yml": POLICY.replace("required_approvals: 1", "required_approvals: 0") } },
      ],
    });
    const result = await run(pr, "opened", alice);
    expect(result.code).toBe(1);
    expect(result.summary).toMatch(/0 of 1 required approval/);
    checker.assertClean();
  });

  it("says plainly when the base has no policy, without a stack trace", async () => {
    await setUp();
    const other = gh.state.addRepository({
      owner: "acme",
      name: "api",
      files: { "README.md": "x\n" },
    });
    const pr = other.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "a\n" } }] });
    const payload = examplePayload("pull_request", "opened");
    payload.pull_request = await (
      await fetch(`${gh.url}/repos/acme/api/pulls/${pr.number}`, {
        headers: { authorization: "token t" },
      })
    ).json();
    payload.repository = await (
      await fetch(`${gh.url}/repos/acme/api`, { headers: { authorization: "token t" } })
    ).json();
    const result = await runAction({
      dir: await tempDir("soc2-action-"),
      apiUrl: gh.url,
      eventName: "pull_request",
      payload,
      repository: "acme/api",
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error::soc2: no soc2\.yml in acme\/api:soc2\.yml@[0-9a-f]{7}: add one/,
    );
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it("never writes the token to its output", async () => {
    await setUp();
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "src/b.ts": "b\n" } }] });
    const result = await run(pr, "opened", alice);
    expect(result.stdout).not.toContain("ghs_actionTestToken");
    expect(result.summary).not.toContain("ghs_actionTestToken");
  });
});

describe("the Action on review and merge-queue events", () => {
  const CHECKED = POLICY.replace(
    "required_approvals: 1",
    "required_approvals: 1\n  required_checks: [ci]",
  );

  it("re-evaluates on pull_request_review: an approval arriving turns the check green", async () => {
    await setUp();
    web.commit({ files: { "soc2.yml": CHECKED } });
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "src/r.ts": "r\n" } }] });
    web.addCheckRun({ sha: pr.headSha, name: "ci", conclusion: "success" });
    const review = pr.addReview({ user: bob, state: "APPROVED" });
    const payload = examplePayload("pull_request_review", "submitted");
    payload.pull_request = (await pullRequestEvent(pr, "opened", alice)).pull_request;
    payload.repository = (await pullRequestEvent(pr, "opened", alice)).repository;
    payload.review = {
      ...(payload.review as object),
      id: review.id,
      state: "approved",
      commit_id: pr.headSha,
      user: { id: bob.id, login: "bob", type: "User" },
    };
    payload.sender = { id: bob.id, login: "bob", type: "User" };
    const result = await runAction({
      dir: await tempDir("soc2-action-"),
      apiUrl: gh.url,
      eventName: "pull_request_review",
      payload,
      repository: "acme/web",
    });
    expect(result.stdout).toBe("");
    expect(result.outputs.result).toBe("pass");
    const facts = JSON.parse(await readFile(result.outputs["facts-path"]!, "utf8"));
    // A review event does not say who pushed: the head branch's activity does (alice created it).
    expect(facts).toMatchObject({ event: "pull_request_review", last_pusher: { login: "alice" } });
    checker.assertClean();
  });

  it("checks the queued commit of a merge group, and the approval of the pull request's head", async () => {
    await setUp();
    web.commit({ files: { "soc2.yml": CHECKED } });
    const pr = web.addPullRequest({ author: alice, commits: [{ files: { "src/q.ts": "q\n" } }] });
    pr.addReview({ user: bob, state: "APPROVED" });
    const base = web.branchSha("main")!;
    const queued = web.commit({
      branch: `gh-readonly-queue/main/pr-${pr.number}-${base}`,
      files: { "src/q.ts": "q\n" },
    });
    web.addCheckRun({ sha: pr.headSha, name: "ci", conclusion: "success" });
    const payload = examplePayload("merge_group", "checks_requested");
    payload.merge_group = {
      ...(payload.merge_group as object),
      head_sha: queued.sha,
      head_ref: `refs/heads/gh-readonly-queue/main/pr-${pr.number}-${base}`,
      base_sha: base,
      base_ref: "refs/heads/main",
    };
    payload.repository = (await pullRequestEvent(pr, "opened", alice)).repository;
    const pending = await runAction({
      dir: await tempDir("soc2-action-"),
      apiUrl: gh.url,
      eventName: "merge_group",
      payload,
      repository: "acme/web",
    });
    // ci passed on the pull request's head, but not yet on the queued commit.
    expect(pending.outputs.result).toBe("pending");
    expect(pending.code).toBe(1);
    web.addCheckRun({ sha: queued.sha, name: "ci", conclusion: "success" });
    const passed = await runAction({
      dir: await tempDir("soc2-action-"),
      apiUrl: gh.url,
      eventName: "merge_group",
      payload,
      repository: "acme/web",
    });
    expect(passed.outputs.result).toBe("pass");
    expect(passed.code).toBe(0);
    checker.assertClean();
  });
});

/** Runs the Action on a pull request of acme/compliance (opened by alice), checked out in `workspace`. */
async function runInCompliance(pr: PullRequestState, workspace: string) {
  const payload = examplePayload("pull_request", "synchronize");
  payload.pull_request = await (
    await fetch(`${gh.url}/repos/acme/compliance/pulls/${pr.number}`, {
      headers: { authorization: "token t" },
    })
  ).json();
  payload.repository = await (
    await fetch(`${gh.url}/repos/acme/compliance`, { headers: { authorization: "token t" } })
  ).json();
  payload.sender = { id: alice.id, login: "alice", type: "User" };
  return runAction({
    dir: await tempDir("soc2-action-"),
    apiUrl: gh.url,
    eventName: "pull_request",
    payload,
    repository: "acme/compliance",
    workspace,
  });
}

describe("the Action in a compliance repository", () => {
  it("validates what the pull request adds and refuses edits to existing evidence", async () => {
    await setUp();
    const record = await readFile(
      join(root, "evidence/attestations/2026/2026-10-02-access-review-q3.yml"),
      "utf8",
    );
    const repoFiles = minimalRepo();
    const compliance = gh.state.addRepository({
      owner: "acme",
      name: "compliance",
      files: { ...repoFiles, "evidence/old.yml": "kept\n" },
    });
    const pr = compliance.addPullRequest({
      author: alice,
      commits: [{ files: { "evidence/old.yml": "edited\n", "evidence/new.yml": record } }],
    });
    pr.addReview({ user: bob, state: "APPROVED" });
    const workspace = await tempDir("soc2-workspace-");
    await writeTree(workspace, {
      ...repoFiles,
      "evidence/new.yml": record,
      "evidence/old.yml": "edited\n",
    });
    const result = await runInCompliance(pr, workspace);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error title=soc2%3A evidence is append-only,file=evidence\/old\.yml::changes an existing evidence record/,
    );
    // The added record is validated (its id does not match its path) and the old one is not read.
    expect(result.stdout).toMatch(
      /::error title=soc2%3A evidence-id-path,file=evidence\/new\.yml,line=4,col=5::/,
    );
    expect(result.stdout).not.toMatch(/coverage-gap/);
    expect(result.summary).toContain("### Compliance repository validation");
    checker.assertClean();
  });

  it("takes the evidence folder from the base commit: a pull request cannot move it away from the records it adds", async () => {
    await setUp();
    const record = await readFile(
      join(root, "evidence/attestations/2026/2026-10-02-access-review-q3.yml"),
      "utf8",
    );
    const repoFiles = minimalRepo();
    // The pull request points evidence.path elsewhere, so that its own soc2.yml would not read
    // the record it adds under evidence/.
    const moved = `${repoFiles["soc2.yml"]!}evidence:\n  path: elsewhere\n`;
    const compliance = gh.state.addRepository({
      owner: "acme",
      name: "compliance",
      files: { ...repoFiles, "evidence/README.md": "Evidence.\n" },
    });
    const pr = compliance.addPullRequest({
      author: alice,
      commits: [{ files: { "soc2.yml": moved, "evidence/new.yml": record } }],
    });
    pr.addReview({ user: bob, state: "APPROVED" });
    const workspace = await tempDir("soc2-workspace-");
    await writeTree(workspace, {
      ...repoFiles,
      "soc2.yml": moved,
      "elsewhere/README.md": "Nothing here.\n",
      "evidence/README.md": "Evidence.\n",
      "evidence/new.yml": record,
    });
    const result = await runInCompliance(pr, workspace);
    // The added record is still validated (its id does not match its path).
    expect(result.stdout).toMatch(
      /::error title=soc2%3A evidence-id-path,file=evidence\/new\.yml,line=4,col=5::/,
    );
    expect(result.code).toBe(1);
    checker.assertClean();
  });

  it("validates an exception review the pull request adds, without needing every evidence record", async () => {
    await setUp();
    const repoFiles = minimalRepo();
    const compliance = gh.state.addRepository({
      owner: "acme",
      name: "compliance",
      files: { ...repoFiles, "evidence/README.md": "Evidence.\n" },
    });
    const review = reviewFile(
      "changes/acme/web/2026/11/pr-2",
      "2026-11-27",
      "",
      "exceptions/pr-2.yml",
    );
    const pr = compliance.addPullRequest({ author: alice, commits: [{ files: review }] });
    pr.addReview({ user: bob, state: "APPROVED" });
    const workspace = await tempDir("soc2-workspace-");
    await writeTree(workspace, { ...repoFiles, ...review });
    const result = await runInCompliance(pr, workspace);
    expect(result.stdout).toMatch(
      /::error title=soc2%3A exception-review-path,file=exceptions\/pr-2\.yml,line=2,col=9::/,
    );
    // The change record is in the evidence the check does not read: not reported as unknown.
    expect(result.stdout).not.toMatch(/exception-review-unknown-record/);
    expect(result.code).toBe(1);
    checker.assertClean();
  });
});
