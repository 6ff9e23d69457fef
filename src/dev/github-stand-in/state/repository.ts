import type { CommitContent, GitSignature } from "../git/objects.js";
import { GitObjectStore, verifiedByGitHub, type CommitObject } from "../git/store.js";
import { editTree, type TreeEdit } from "../git/tree-edit.js";
import { ZERO_SHA, type ActivityRecord, type ActivityType } from "./activity.js";
import { PullRequestState, type PullRequestOptions } from "./pull-request.js";
import type { StandInState } from "./state.js";
import {
  isAccount,
  type Account,
  type BranchProtectionConfig,
  type CheckRunRecord,
  type Label,
  type Person,
  type StatusRecord,
} from "./types.js";

export interface RepositoryOptions {
  /** Owner login (created as an organization when unknown) or account. */
  owner: string | Account;
  name: string;
  id?: number;
  private?: boolean;
  defaultBranch?: string;
  description?: string | null;
  /** Files of the initial commit on the default branch (default: a README). */
  files?: Record<string, string>;
  /** Start with no commits and no branches, like a freshly created empty repository. */
  empty?: boolean;
}

/** A commit to build: who, when, and what changes relative to its parent. */
export interface CommitSpec {
  message?: string;
  /** Default: the pull request's author, or the repository owner. */
  author?: Person;
  /** Default: the author. */
  committer?: Person;
  /** Content to write (string) or delete (null), on top of the parent's tree. */
  files?: Record<string, string | null>;
  /** Author date (and committer date unless `committedAt`); default: the story clock. */
  at?: string;
  committedAt?: string;
  /** Use this id instead of the computed one. */
  sha?: string;
  /** Mark the commit as signed (GitHub's verification { verified: true, reason: "valid" }). */
  verified?: boolean;
  /**
   * Who pushes it, as the repository activity records (default: the pull request's author, or for
   * a direct commit the author when an account, else the repository owner).
   */
  pushedBy?: Account;
}

export interface CheckRunOptions {
  /** A commit sha or a ref that resolves to one. */
  sha: string;
  name: string;
  status?: CheckRunRecord["status"];
  conclusion?: CheckRunRecord["conclusion"];
  app?: { id: number; slug: string; name: string };
  at?: string;
  title?: string | null;
  summary?: string | null;
  detailsUrl?: string | null;
}

export interface StatusOptions {
  sha: string;
  context: string;
  state: StatusRecord["state"];
  description?: string | null;
  targetUrl?: string | null;
  at?: string;
}

/** A rule as GET /repos/{o}/{r}/rules/branches/{b} returns it (ruleset fields are filled in). */
export interface BranchRule {
  type: string;
  parameters?: Record<string, unknown>;
  ruleset_id?: number;
  ruleset_source_type?: "Repository" | "Organization";
  ruleset_source?: string;
}

/** A repository: its git objects and refs, pull requests, checks, statuses and settings. */
export class RepositoryState {
  readonly id: number;
  readonly name: string;
  readonly owner: Account;
  readonly private: boolean;
  readonly defaultBranch: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly git = new GitObjectStore();
  readonly pulls = new Map<number, PullRequestState>();
  readonly checkRuns: CheckRunRecord[] = [];
  readonly statuses: StatusRecord[] = [];
  readonly protections = new Map<string, BranchProtectionConfig>();
  readonly rules = new Map<string, BranchRule[]>();
  readonly labels = new Map<string, Label>();
  /** Pushes and other ref changes, oldest first (GET …/activity lists them newest first). */
  readonly activities: ActivityRecord[] = [];
  /** Commits GET …/commits/{sha}/pulls does not find yet (GitHub's index lags after a merge). */
  readonly unindexedCommits = new Set<string>();
  private nextNumber = 1;

  constructor(
    readonly state: StandInState,
    options: RepositoryOptions,
  ) {
    this.owner =
      typeof options.owner === "string" ? state.organization(options.owner) : options.owner;
    this.name = options.name;
    this.id = options.id ?? state.nextId("repository", 100_001);
    this.private = options.private ?? true;
    this.defaultBranch = options.defaultBranch ?? "main";
    this.description = options.description ?? null;
    this.createdAt = state.clock.stamp();
    if (!options.empty) {
      this.commit({
        branch: this.defaultBranch,
        message: "Initial commit",
        files: options.files ?? { "README.md": `# ${this.name}\n` },
      });
    }
  }

  get fullName(): string {
    return `${this.owner.login}/${this.name}`;
  }

  /** The signature and account id of a person, attributing bare git identities by email. */
  signature(person: Person, date: string): { signature: GitSignature; accountId: number | null } {
    if (isAccount(person)) {
      const email = person.email ?? `${person.id}+${person.login}@users.noreply.github.com`;
      return {
        signature: { name: person.name ?? person.login, email, date },
        accountId: person.id,
      };
    }
    const account = this.state.accountByEmail(person.email);
    return { signature: { ...person, date }, accountId: account?.id ?? null };
  }

  /** Builds and stores a commit on top of `parents` (the first parent's tree is the base). */
  buildCommit(parents: string[], spec: CommitSpec, defaultAuthor: Person): CommitObject {
    const store = this.git;
    const base = parents[0] ? store.commits.get(parents[0])?.tree : undefined;
    const edits: TreeEdit[] = Object.entries(spec.files ?? {}).map(([path, content]) => ({
      path,
      mode: "100644",
      type: "blob",
      sha: content === null ? null : store.writeBlob(Buffer.from(content, "utf8")),
    }));
    const tree = editTree(store, base, edits);
    const authoredAt = this.state.clock.stamp(spec.at);
    const committedAt = spec.committedAt ? this.state.clock.stamp(spec.committedAt) : authoredAt;
    const author = this.signature(spec.author ?? defaultAuthor, authoredAt);
    const committer = this.signature(spec.committer ?? spec.author ?? defaultAuthor, committedAt);
    const content: CommitContent = {
      tree,
      parents,
      author: author.signature,
      committer: committer.signature,
      message: spec.message ?? "Update files",
    };
    return store.writeCommit(content, {
      ...(spec.sha ? { sha: spec.sha } : {}),
      authorId: author.accountId,
      committerId: committer.accountId,
      ...(spec.verified ? { verification: verifiedByGitHub(committedAt) } : {}),
    });
  }

  /**
   * Commits directly to a branch (a push; no pull request) and moves the branch. A missing branch
   * starts from the default branch, or from nothing in an empty repository.
   */
  commit(spec: CommitSpec & { branch?: string }): CommitObject {
    const branch = spec.branch ?? this.defaultBranch;
    const before = this.branchSha(branch);
    const parent = before ?? this.branchSha(this.defaultBranch);
    const commit = this.buildCommit(parent ? [parent] : [], spec, this.owner);
    this.git.refs.set(`refs/heads/${branch}`, commit.sha);
    const author = spec.author && isAccount(spec.author) ? spec.author : this.owner;
    this.recordActivity({
      ref: `refs/heads/${branch}`,
      before: before ?? ZERO_SHA,
      after: commit.sha,
      type: before ? "push" : "branch_creation",
      actor: spec.pushedBy ?? author,
      at: commit.committer.date,
    });
    return commit;
  }

  /** Records a change to a ref, as GitHub's repository activity does for every push. */
  recordActivity(entry: {
    ref: string;
    before: string;
    after: string;
    type: ActivityType;
    actor: Account;
    at: string;
  }): ActivityRecord {
    const record: ActivityRecord = { id: this.state.nextId("activity", 21_000_000_001), ...entry };
    this.activities.push(record);
    return record;
  }

  /** Creates a branch at `sha` (default: the default branch's head). */
  createBranch(name: string, sha?: string): string {
    const at = sha ?? this.branchSha(this.defaultBranch);
    if (!at) throw new Error(`${this.fullName} is empty: give the branch a sha`);
    this.git.refs.set(`refs/heads/${name}`, at);
    return at;
  }

  branchSha(branch: string): string | undefined {
    return this.git.refs.get(`refs/heads/${branch}`);
  }

  /** A file's text at a ref (default: the default branch), or undefined. */
  readFile(path: string, ref: string = this.defaultBranch): string | undefined {
    const sha = this.git.resolve(ref);
    const tree = sha ? this.git.commits.get(sha)?.tree : undefined;
    const entry = tree ? this.git.lookup(tree, path) : undefined;
    if (entry?.type !== "blob") return undefined;
    return this.git.blobs.get(entry.sha)?.toString("utf8");
  }

  /** Every file path at a ref (default: the default branch), sorted. */
  listFiles(ref: string = this.defaultBranch): string[] {
    const sha = this.git.resolve(ref);
    return [...this.git.files(sha ? this.git.commits.get(sha)?.tree : undefined).keys()].sort();
  }

  /** First-parent history from a ref, newest first. */
  log(ref: string = this.defaultBranch): CommitObject[] {
    const out: CommitObject[] = [];
    let sha = this.git.resolve(ref);
    while (sha) {
      const commit = this.git.commits.get(sha);
      if (!commit) break;
      out.push(commit);
      sha = commit.parents[0];
    }
    return out;
  }

  /** Opens a pull request; see PullRequestOptions. */
  addPullRequest(options: PullRequestOptions): PullRequestState {
    const number = options.number ?? this.nextNumber;
    if (this.pulls.has(number)) throw new Error(`pull request #${number} exists already`);
    this.nextNumber = Math.max(this.nextNumber, number + 1);
    const pr = new PullRequestState(this, number, options);
    this.pulls.set(number, pr);
    return pr;
  }

  pull(number: number): PullRequestState {
    const pr = this.pulls.get(number);
    if (!pr) throw new Error(`no pull request #${number} in ${this.fullName}`);
    return pr;
  }

  /** The repository's label with this name, created on first use. */
  label(name: string, color = "ededed"): Label {
    let label = this.labels.get(name);
    if (!label) {
      label = { id: this.state.nextId("label", 7_000_001), name, color, description: "" };
      this.labels.set(name, label);
    }
    return label;
  }

  addCheckRun(options: CheckRunOptions): CheckRunRecord {
    const startedAt = this.state.clock.stamp(options.at);
    const status = options.status ?? "completed";
    const run: CheckRunRecord = {
      id: this.state.nextId("check-run", 4_000_001),
      headSha: this.git.resolve(options.sha) ?? options.sha,
      name: options.name,
      status,
      conclusion: status === "completed" ? (options.conclusion ?? "success") : null,
      startedAt,
      completedAt: status === "completed" ? startedAt : null,
      app: options.app ?? { id: 15368, slug: "github-actions", name: "GitHub Actions" },
      detailsUrl: options.detailsUrl ?? null,
      title: options.title ?? null,
      summary: options.summary ?? null,
    };
    this.checkRuns.push(run);
    return run;
  }

  addStatus(options: StatusOptions): StatusRecord {
    const status: StatusRecord = {
      id: this.state.nextId("status", 5_000_001),
      sha: this.git.resolve(options.sha) ?? options.sha,
      context: options.context,
      state: options.state,
      description: options.description ?? null,
      targetUrl: options.targetUrl ?? null,
      createdAt: this.state.clock.stamp(options.at),
    };
    this.statuses.push(status);
    return status;
  }

  /** Turns on classic branch protection for a branch. */
  protectBranch(branch: string, config: BranchProtectionConfig = {}): void {
    this.protections.set(branch, config);
  }

  /** The rules that apply to a branch (from rulesets). */
  setBranchRules(branch: string, rules: BranchRule[]): void {
    this.rules.set(branch, rules);
  }
}
