import type {
  Account,
  GitHubStandIn,
  PullRequestState,
  RepositoryState,
} from "../github-stand-in/index.js";
import { newDeliveryId, type Delivery } from "./deliver.js";

/** The product repository's policy in the demo: one approval on the head, ci green, a ticket. */
export const DEMO_POLICY = `# yaml-language-server: $schema=https://raw.githubusercontent.com/soc2-as-code/soc2-as-code/main/schemas/soc2.schema.json
version: 1
organization: { name: "Acme Cloud, Inc." }
system: { name: Acme Web, description: The Acme web application., boundaries: {} }
scope: { categories: [security] }
audit: { type: 1, as_of: "2026-01-01" }
owners:
  engineering-lead: { title: Head of Engineering, github: [carol] }
change_management:
  branches: [main]
  required_approvals: 1
  required_checks: [ci]
  ticket: { required: true }
  emergency: { label: emergency-change, retrospective_review_hours: 48 }
`;

export interface StoryStep {
  /** What happened, as the demo prints it. */
  says: string;
  delivery: Delivery;
}

export interface Story {
  steps: StoryStep[];
  people: { alice: Account; bob: Account; carol: Account };
  repository: RepositoryState;
  approved: PullRequestState;
  unreviewed: PullRequestState;
  directPushSha: string;
}

/**
 * A coherent story on the stand-in: pull request #1 is opened, approved, pushed to (which makes
 * the approval stale), approved again and merged; pull request #2 is merged by its author with no
 * review; a hotfix is pushed straight to main; one delivery is sent twice (GitHub redelivers).
 * Each step changes the stand-in's state first, then yields the webhook GitHub would send.
 */
export async function* playStory(gh: GitHubStandIn): AsyncGenerator<StoryStep, Story> {
  const { state } = gh;
  const alice = state.addUser({
    login: "alice",
    name: "Alice Author",
    email: "alice@acme.example",
  });
  const bob = state.addUser({ login: "bob", name: "Bob Reviewer", email: "bob@acme.example" });
  const carol = state.addUser({ login: "carol", name: "Carol Lead", email: "carol@acme.example" });
  state.addOrganization({ login: "acme" });
  const repository = state.addRepository({
    owner: "acme",
    name: "web",
    files: {
      "soc2.yml": DEMO_POLICY,
      "src/payroll.ts": "export const round = (m: number) => Math.round(m);\n",
    },
  });
  repository.protectBranch("main", {
    requiredApprovingReviewCount: 1,
    dismissStaleReviews: true,
    requiredStatusChecks: ["ci"],
  });
  const installation = state.addInstallation({ account: "acme" });
  const api = new StandInReader(gh);
  const steps: StoryStep[] = [];
  const step = async (
    says: string,
    event: string,
    payload: Record<string, unknown>,
    id = newDeliveryId(),
  ): Promise<StoryStep> => {
    const s = {
      says,
      delivery: { id, event, payload: { ...payload, installation: { id: installation.id } } },
    };
    steps.push(s);
    return s;
  };

  // Pull request #1: the process working as intended.
  const approved = repository.addPullRequest({
    author: alice,
    title: "PAY-101: round overtime to the minute",
    body: "Overtime was rounded to the hour.",
    head: "pay-101-overtime",
    commits: [
      {
        message: "Round overtime to the minute",
        files: {
          "src/payroll.ts": "export const round = (m: number) => Math.round(m * 60) / 60;\n",
        },
      },
    ],
  });
  yield await step(`alice opens #${approved.number} "${approved.title}"`, "pull_request", {
    action: "opened",
    number: approved.number,
    pull_request: await api.pull(approved),
    repository: await api.repo(),
    sender: await api.user(alice),
  });
  const firstReview = approved.addReview({ user: bob, state: "APPROVED", body: "Looks right." });
  const firstApproval = await step(
    `bob approves #${approved.number} on ${approved.headSha.slice(0, 7)}`,
    "pull_request_review",
    {
      action: "submitted",
      review: await api.review(approved, firstReview.id),
      pull_request: await api.pull(approved),
      repository: await api.repo(),
      sender: await api.user(bob),
    },
  );
  yield firstApproval;
  const before = approved.headSha;
  approved.addCommit({
    message: "Cover the rounding with a test",
    files: { "src/payroll.test.ts": "// test\n" },
  });
  yield await step(
    `alice pushes ${approved.headSha.slice(0, 7)} to #${approved.number}: bob's approval is now stale`,
    "pull_request",
    {
      action: "synchronize",
      number: approved.number,
      before,
      after: approved.headSha,
      pull_request: await api.pull(approved),
      repository: await api.repo(),
      sender: await api.user(alice),
    },
  );
  const secondReview = approved.addReview({
    user: bob,
    state: "APPROVED",
    body: "Test looks good too.",
  });
  yield await step(
    `bob approves #${approved.number} again, on ${approved.headSha.slice(0, 7)}`,
    "pull_request_review",
    {
      action: "submitted",
      review: await api.review(approved, secondReview.id),
      pull_request: await api.pull(approved),
      repository: await api.repo(),
      sender: await api.user(bob),
    },
  );
  repository.addCheckRun({ sha: approved.headSha, name: "ci", conclusion: "success" });
  approved.merge({ by: carol, method: "squash" });
  yield await step(`carol squash-merges #${approved.number}`, "pull_request", {
    action: "closed",
    number: approved.number,
    pull_request: await api.pull(approved),
    repository: await api.repo(),
    sender: await api.user(carol),
  });

  // GitHub redelivers a webhook (an operator clicked "Redeliver"): same delivery id, same payload.
  yield await step(
    `GitHub redelivers bob's first approval (delivery ${firstApproval.delivery.id.slice(0, 8)})`,
    "pull_request_review",
    firstApproval.delivery.payload,
    firstApproval.delivery.id,
  );

  // Pull request #2: merged by its author with no review.
  const unreviewed = repository.addPullRequest({
    author: alice,
    title: "Hotfix the login page",
    body: null,
    head: "hotfix-login",
    commits: [
      { message: "Fix login", files: { "src/login.ts": "export const login = () => true;\n" } },
    ],
  });
  yield await step(`alice opens #${unreviewed.number} "${unreviewed.title}"`, "pull_request", {
    action: "opened",
    number: unreviewed.number,
    pull_request: await api.pull(unreviewed),
    repository: await api.repo(),
    sender: await api.user(alice),
  });
  unreviewed.merge({ by: alice, method: "merge" });
  yield await step(`alice merges #${unreviewed.number} herself, with no review`, "pull_request", {
    action: "closed",
    number: unreviewed.number,
    pull_request: await api.pull(unreviewed),
    repository: await api.repo(),
    sender: await api.user(alice),
  });

  // A push straight to main, with no pull request at all.
  const parent = repository.branchSha("main")!;
  const pushed = repository.commit({
    message: "Bump the timeout",
    files: { "src/config.ts": "export const timeout = 30;\n" },
    author: { name: "Carol Lead", email: "carol@acme.example" },
  });
  yield await step(
    `carol pushes ${pushed.sha.slice(0, 7)} straight to main`,
    "push",
    await api.push(parent, pushed.sha, carol),
  );

  return {
    steps,
    people: { alice, bob, carol },
    repository,
    approved,
    unreviewed,
    directPushSha: pushed.sha,
  };
}

/** Reads objects from the stand-in the way GitHub would put them in a payload. */
class StandInReader {
  constructor(private readonly gh: GitHubStandIn) {}

  private async get(path: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.gh.url}${path}`, {
      headers: { authorization: "token demo", accept: "application/vnd.github+json" },
    });
    if (!response.ok) throw new Error(`the stand-in answered ${response.status} to GET ${path}`);
    return (await response.json()) as Record<string, unknown>;
  }

  pull(pr: PullRequestState) {
    return this.get(`/repos/acme/web/pulls/${pr.number}`);
  }

  repo() {
    return this.get("/repos/acme/web");
  }

  async review(pr: PullRequestState, id: number) {
    const reviews = (await this.get(
      `/repos/acme/web/pulls/${pr.number}/reviews`,
    )) as unknown as Array<{ id: number }>;
    return reviews.find((r) => r.id === id) ?? {};
  }

  user(account: Account) {
    return {
      id: account.id,
      login: account.login,
      type: account.type,
      avatar_url: "",
      html_url: `https://github.com/${account.login}`,
      url: `${this.gh.url}/users/${account.login}`,
    };
  }

  async push(before: string, after: string, pusher: Account) {
    const commit = await this.get(`/repos/acme/web/commits/${after}`);
    const git = commit.commit as {
      message: string;
      author: { name: string; email: string; date: string };
      committer: { name: string; email: string; date: string };
    };
    const entry = {
      id: after,
      tree_id: "",
      distinct: true,
      message: git.message,
      timestamp: git.committer.date,
      url: "",
      author: { ...git.author, username: pusher.login },
      committer: { ...git.committer, username: pusher.login },
      added: [],
      removed: [],
      modified: [],
    };
    return {
      ref: "refs/heads/main",
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: "",
      commits: [entry],
      head_commit: entry,
      repository: await this.repo(),
      pusher: { name: pusher.login, email: "carol@acme.example" },
      sender: this.user(pusher),
    };
  }
}
