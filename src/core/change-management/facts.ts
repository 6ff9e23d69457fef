/**
 * The facts snapshot of a pull request: everything the change-management evaluator looks at,
 * collected by an adapter (the Action, the App) and stored as evidence. It is plain JSON, defined
 * by schemas/pull-request-facts.schema.json, so that an auditor can re-run a verdict from it alone.
 *
 * Identities are numeric account ids; logins are labels that can change (users can be renamed).
 */

/** A GitHub account. */
export interface Account {
  id: number;
  login: string;
  type?: "User" | "Bot" | "Organization" | "Mannequin";
}

/** The author, committer or co-author of a commit, as git recorded it and GitHub mapped it. */
export interface GitPerson {
  /** The account the email maps to; absent when it maps to none. */
  id?: number;
  login?: string;
  type?: Account["type"];
  /** The name git recorded. */
  name: string;
}

export interface Commit {
  sha: string;
  author: GitPerson;
  committer: GitPerson;
  /** People named in Co-authored-by trailers, e.g. a reviewer whose suggestion was committed. */
  co_authors?: GitPerson[];
  /** True when the author maps to no GitHub account. */
  unattributed: boolean;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";

export interface Review {
  id: number;
  reviewer: Account;
  state: ReviewState;
  /** The commit the review was made on; null when GitHub no longer knows it. */
  commit_id: string | null;
  submitted_at: string;
  /** True when the review was dismissed (GitHub then reports its state as DISMISSED). */
  dismissed?: boolean;
}

export type FileStatus =
  "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface ChangedFile {
  path: string;
  status: FileStatus;
  /** The path before a rename or copy. */
  previous_path?: string;
}

export type CheckRunStatus =
  "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";

export type CheckRunConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required"
  | "stale"
  | "startup_failure";

export interface CheckRun {
  kind: "check_run";
  name: string;
  sha: string;
  status: CheckRunStatus;
  conclusion: CheckRunConclusion | null;
}

export interface CommitStatus {
  kind: "status";
  /** The status context. */
  name: string;
  sha: string;
  state: "success" | "failure" | "error" | "pending";
}

export type Check = CheckRun | CommitStatus;

export interface MergeGroup {
  head_sha: string;
  head_ref: string;
  base_sha: string;
  base_ref: string;
}

export interface Merged {
  by: Account;
  at: string;
  commit_sha: string;
}

export interface PullRequestFacts {
  version: 1;
  event: "pull_request" | "pull_request_review" | "merge_group";
  collected_at: string;
  repository: { id: number; full_name: string };
  number: number;
  title: string;
  body: string | null;
  base: {
    ref: string;
    sha: string;
    /** When the pull request was last retargeted to this base branch; absent if never. */
    changed_at?: string;
  };
  head: {
    ref: string;
    sha: string;
    /** The repository the head branch lives in (a fork's differs); null when it was deleted. */
    repo_full_name: string | null;
  };
  author: Account;
  commits: Commit[];
  /** False when GitHub truncated the commit list (it returns at most 250). */
  commits_complete: boolean;
  /** How many commits GitHub says the pull request has. */
  commit_count?: number;
  reviews: Review[];
  changed_files: ChangedFile[];
  /** False when GitHub truncated the file list (it returns at most 3,000). */
  changed_files_complete: boolean;
  /** The CODEOWNERS file of the base branch, or null when it has none. */
  codeowners: { path: string; text: string } | null;
  /** Members of the teams the policy and CODEOWNERS name, keyed by org/team-slug. */
  team_members: Record<string, Account[]>;
  /** Who pushed the head commit, or null when the adapter could not tell. */
  last_pusher: Account | null;
  checks: Check[];
  labels: string[];
  merge_group?: MergeGroup;
  merged?: Merged;
}
