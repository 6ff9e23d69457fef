import { createHash } from "node:crypto";
import type {
  Account,
  Check,
  Commit,
  GitPerson,
  PullRequestFacts,
  Review,
} from "../../../src/core/change-management/facts.js";
import { readChangePolicy, type ChangePolicy } from "../../../src/core/change-management/policy.js";

/** A stable, valid 40-hex commit SHA for a label: sha("head") reads better than hex in tables. */
export const sha = (label: string): string => createHash("sha1").update(label).digest("hex");

const user = (id: number, login: string): Account => ({ id, login, type: "User" });

/** The cast. Ids are the identity; logins only label them. */
export const alice = user(1, "alice"); // opens the pull requests
export const bob = user(2, "bob"); // the usual reviewer
export const carol = user(3, "carol");
export const dave = user(4, "dave");
export const sokafor = user(10, "sokafor"); // security-lead in OWNERS
export const praman = user(11, "praman"); // engineering-lead in OWNERS
export const dependabot: Account = { id: 49699333, login: "dependabot[bot]", type: "Bot" };
export const HEAD = sha("head");
export const NOW = new Date("2026-05-01T12:00:00Z");

/** A git person mapped to an account (or, with only a name, to none). */
export function person(who: Account | string): GitPerson {
  return typeof who === "string"
    ? { name: who }
    : { id: who.id, login: who.login, name: who.login };
}

export function commit(
  label: string,
  author: Account | string,
  options: { committer?: Account | string; coAuthors?: Array<Account | string> } = {},
): Commit {
  const a = person(author);
  return {
    sha: sha(label),
    author: a,
    committer: person(options.committer ?? author),
    ...(options.coAuthors ? { co_authors: options.coAuthors.map(person) } : {}),
    unattributed: a.id === undefined,
  };
}

let nextReview = 100;
const REVIEWS_START = Date.parse("2026-05-01T09:00:00Z");
/** Reviews are submitted in the order they are built, a second apart (before NOW). */
function review(reviewer: Account, state: Review["state"], options: ReviewOptions): Review {
  const id = options.id ?? nextReview++;
  return {
    id,
    reviewer,
    state,
    commit_id: options.on ?? HEAD,
    submitted_at: options.at ?? new Date(REVIEWS_START + id * 1000).toISOString(),
    ...(options.dismissed ? { dismissed: true } : {}),
  };
}

interface ReviewOptions {
  /** The commit reviewed; the head by default. */
  on?: string;
  at?: string;
  id?: number;
  dismissed?: boolean;
}

export const approve = (r: Account, o: ReviewOptions = {}) => review(r, "APPROVED", o);
export const requestChanges = (r: Account, o: ReviewOptions = {}) =>
  review(r, "CHANGES_REQUESTED", o);
export const comment = (r: Account, o: ReviewOptions = {}) => review(r, "COMMENTED", o);
/** A review as GitHub reports it after a dismissal: state DISMISSED. */
export const dismissed = (r: Account, o: ReviewOptions = {}) => review(r, "DISMISSED", o);

export function checkRun(
  name: string,
  conclusion: Extract<Check, { kind: "check_run" }>["conclusion"],
  options: { on?: string; status?: Extract<Check, { kind: "check_run" }>["status"] } = {},
): Check {
  return {
    kind: "check_run",
    name,
    sha: options.on ?? HEAD,
    status: options.status ?? (conclusion === null ? "in_progress" : "completed"),
    conclusion,
  };
}

export function status(
  name: string,
  state: Extract<Check, { kind: "status" }>["state"],
  on = HEAD,
): Check {
  return { kind: "status", name, sha: on, state };
}

/**
 * Facts of a good pull request: alice opens #42 into main with two commits of her own, pushes
 * the head, and the validate check passed on it. No reviews yet: each test adds what it is about.
 */
export function facts(overrides: Partial<PullRequestFacts> = {}): PullRequestFacts {
  return {
    version: 1,
    event: "pull_request",
    collected_at: NOW.toISOString(),
    repository: { id: 1000, full_name: "acme-cloud/platform" },
    number: 42,
    title: "Rate-limit the export endpoint",
    body: "Adds a token bucket in front of payroll exports.",
    base: { ref: "main", sha: sha("base") },
    head: { ref: "alice/rate-limit", sha: HEAD, repo_full_name: "acme-cloud/platform" },
    author: alice,
    commits: [commit("first", alice), commit("head", alice)],
    commits_complete: true,
    commit_count: 2,
    reviews: [],
    changed_files: [{ path: "src/export.ts", status: "modified" }],
    changed_files_complete: true,
    codeowners: null,
    team_members: {},
    last_pusher: alice,
    checks: [checkRun("validate", "success")],
    labels: [],
    ...overrides,
  };
}

/** soc2.yml's owners, as the example program declares them. */
export const OWNERS = {
  "security-lead": {
    title: "Head of Security",
    github: ["sokafor"],
    github_team: "acme-cloud/security",
  },
  "engineering-lead": { title: "Head of Engineering", github: ["praman"] },
  ceo: { title: "Chief Executive Officer" },
};

/** A policy from a change_management block (one approval and the validate check by default). */
export function policy(
  changeManagement: Record<string, unknown> = {},
  controlOwners: Record<string, string> = {},
): ChangePolicy {
  return readChangePolicy(
    {
      owners: OWNERS,
      change_management: {
        required_approvals: 1,
        required_checks: ["validate"],
        ...changeManagement,
      },
    },
    controlOwners,
  );
}
