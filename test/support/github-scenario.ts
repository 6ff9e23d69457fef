import type {
  Account,
  GitHubStandIn,
  Installation,
  PullRequestState,
  RepositoryState,
  StandInState,
} from "../../src/dev/github-stand-in/index.js";

/** The accounts, repositories and pull requests of seedScenario. */
export interface Scenario {
  alice: Account;
  bob: Account;
  carol: Account;
  dependabot: Account;
  web: RepositoryState;
  evidence: RepositoryState;
  installation: Installation;
  /** Open: two commits, an approval on the first commit, a dismissed approval, changes requested. */
  pr: PullRequestState;
  /** Merged: approved by bob on its head. */
  merged: PullRequestState;
}

/**
 * A small, coherent organization: acme/web (a product repository with CODEOWNERS, protection,
 * rules, checks and statuses) and acme/evidence (where the App writes), one open pull request with
 * a review history and one merged pull request.
 */
export function seedScenario(state: StandInState): Scenario {
  const alice = state.addUser({ login: "alice", name: "Alice Author", email: "alice@example.com" });
  const bob = state.addUser({ login: "bob", name: "Bob Reviewer", email: "bob@example.com" });
  const carol = state.addUser({ login: "carol", name: "Carol Lead", email: "carol@example.com" });
  const dependabot = state.addBot({ login: "dependabot" });
  state.addTeam({ org: "acme", slug: "leads", members: [bob], maintainers: [carol] });
  const web = state.addRepository({
    owner: "acme",
    name: "web",
    files: {
      "README.md": "# web\n",
      ".github/CODEOWNERS": "* @acme/leads\n/infra/ @carol\n",
      "src/app.ts": "export const answer = 42;\n",
    },
  });
  web.protectBranch("main", {
    requiredApprovingReviewCount: 1,
    dismissStaleReviews: true,
    requireCodeOwnerReviews: true,
    requiredStatusChecks: ["ci"],
  });
  web.setBranchRules("main", [
    {
      type: "pull_request",
      parameters: {
        dismiss_stale_reviews_on_push: true,
        require_code_owner_review: true,
        require_last_push_approval: true,
        required_approving_review_count: 1,
        required_review_thread_resolution: false,
      },
    },
  ]);
  const evidence = state.addRepository({ owner: "acme", name: "evidence" });
  const installation = state.addInstallation({ account: "acme" });

  const pr = web.addPullRequest({
    author: alice,
    title: "Add the greeting (TICKET-12)",
    body: "Adds a greeting.",
    head: "feature/greeting",
    labels: ["enhancement"],
    commits: [
      { message: "Add greeting", files: { "src/greeting.ts": "export const hi = 'hi';\n" } },
    ],
  });
  const first = pr.headSha;
  pr.addReview({ user: bob, state: "APPROVED", commitId: first });
  pr.addCommit({
    message: "Rename the app file and change infra",
    author: { name: "Unknown Laptop", email: "root@localhost" },
    files: {
      "src/app.ts": null,
      "src/main.ts": "export const answer = 42;\n",
      "infra/main.tf": "x = 1\n",
    },
  });
  const stale = pr.addReview({ user: carol, state: "APPROVED" });
  pr.dismissReview(stale, { by: carol, message: "Pushed again" });
  pr.addReview({ user: carol, state: "CHANGES_REQUESTED", body: "Please split this." });
  pr.addLabel("needs-work", { by: carol });
  pr.forcePush({
    by: alice,
    commits: [
      { message: "Add greeting", files: { "src/greeting.ts": "export const hi = 'hello';\n" } },
    ],
  });
  web.addCheckRun({ sha: pr.headSha, name: "ci", conclusion: "failure" });
  web.addCheckRun({ sha: pr.headSha, name: "ci", conclusion: "success" });
  web.addCheckRun({ sha: pr.headSha, name: "lint", status: "in_progress" });
  web.addStatus({ sha: pr.headSha, context: "deploy/preview", state: "pending" });
  web.addStatus({ sha: pr.headSha, context: "deploy/preview", state: "success" });
  web.addStatus({ sha: pr.headSha, context: "security", state: "success" });

  const merged = web.addPullRequest({
    author: dependabot,
    title: "Bump a dependency",
    head: "dependabot/npm/x",
    commits: [{ message: "Bump x", files: { "package.json": '{ "x": "2" }\n' } }],
  });
  merged.addReview({ user: bob, state: "APPROVED" });
  merged.merge({ by: bob });
  return { alice, bob, carol, dependabot, web, evidence, installation, pr, merged };
}

// Response bodies stay loosely typed: the tests that read them assert their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A fetch-based client for the stand-in, shaped like Octokit's request(). */
export function client(server: Pick<GitHubStandIn, "url">, token: string | null = "ghs_test") {
  return async function request(
    route: string,
    options: { body?: unknown; base?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Headers; data: Json }> {
    const [method, path] = route.includes(" ")
      ? (route.split(" ", 2) as [string, string])
      : ["GET", route];
    const response = await fetch(`${options.base ?? server.url}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        ...(token ? { authorization: `token ${token}` } : {}),
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      data: text ? JSON.parse(text) : undefined,
    };
  };
}
