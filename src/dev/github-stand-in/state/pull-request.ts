import type { FileChange } from "../git/diff.js";
import { diffTrees } from "../git/diff.js";
import type { CommitObject } from "../git/store.js";
import { ZERO_SHA, type ActivityType } from "./activity.js";
import { landPullRequest, type MergeMethod } from "./merge.js";
import type { CommitSpec, RepositoryState } from "./repository.js";
import type { TimelineRecord } from "./timeline.js";
import type { Account, Label, Team } from "./types.js";

export interface PullRequestOptions {
  number?: number;
  title?: string;
  body?: string | null;
  author: Account;
  /** Head branch name (default "feature/<number>"). */
  head?: string;
  /** Base branch (default: the repository's default branch); it must exist. */
  base?: string;
  /** A fork the head branch lives in (its commits are stored in the base repository). */
  headRepository?: RepositoryState;
  draft?: boolean;
  labels?: string[];
  at?: string;
  /** Commits pushed when the pull request is opened. */
  commits?: CommitSpec[];
  /** Who pushed the head branch before it was opened (default: the author). */
  pushedBy?: Account;
  /** Open it on a head branch that exists already (POST /repos/{o}/{r}/pulls), as it stands. */
  existingHead?: boolean;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";

export interface ReviewRecord {
  id: number;
  user: Account;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string;
  dismissal?: { by: Account; message: string | null; at: string; stateBefore: ReviewState };
}

export interface ReviewOptions {
  user: Account;
  state: Exclude<ReviewState, "DISMISSED">;
  /** The commit reviewed (default: the current head). */
  commitId?: string;
  body?: string;
  at?: string;
}

export interface MergeOptions {
  by: Account;
  method?: MergeMethod;
  at?: string;
  message?: string;
}

/** A pull request and its history; builder methods append to the timeline like GitHub does. */
export class PullRequestState {
  readonly id: number;
  title: string;
  body: string | null;
  author: Account;
  headRef: string;
  baseRef: string;
  baseSha: string;
  readonly headRepository: RepositoryState;
  draft: boolean;
  state: "open" | "closed" = "open";
  readonly createdAt: string;
  updatedAt: string;
  closedAt: string | null = null;
  merged = false;
  mergedAt: string | null = null;
  mergedBy: Account | null = null;
  mergeCommitSha: string | null = null;
  /** The pull request's commits, oldest first (what GET …/pulls/{n}/commits lists). */
  commitShas: string[] = [];
  /** Commits a rebase merge created on the base branch. */
  landedShas: string[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly labels: Label[] = [];
  readonly requestedReviewers: Account[] = [];
  readonly requestedTeams: Team[] = [];
  readonly timeline: TimelineRecord[] = [];
  private tip: string;

  constructor(
    readonly repo: RepositoryState,
    readonly number: number,
    options: PullRequestOptions,
  ) {
    this.id = repo.state.nextId("pull", 1_000_001);
    this.title = options.title ?? `Change #${number}`;
    this.body = options.body ?? null;
    this.author = options.author;
    this.headRef = options.head ?? `feature/${number}`;
    this.baseRef = options.base ?? repo.defaultBranch;
    this.headRepository = options.headRepository ?? repo;
    this.draft = options.draft ?? false;
    const baseSha = repo.branchSha(this.baseRef);
    if (!baseSha) throw new Error(`base branch ${this.baseRef} does not exist in ${repo.fullName}`);
    this.baseSha = baseSha;
    this.tip = baseSha;
    this.createdAt = repo.state.clock.stamp(options.at);
    this.updatedAt = this.createdAt;
    for (const name of options.labels ?? []) this.labels.push(repo.label(name));
    const existing = options.existingHead ? repo.branchSha(this.headRef) : undefined;
    if (existing) {
      this.tip = existing;
      this.repo.git.refs.set(`refs/pull/${this.number}/head`, existing);
      return;
    }
    for (const spec of options.commits ?? []) this.appendCommit(spec);
    this.moveHead(this.tip);
    this.recordPush("branch_creation", ZERO_SHA, options.pushedBy ?? this.author, this.createdAt);
  }

  get headSha(): string {
    return this.tip;
  }

  private now(at?: string): string {
    const time = this.repo.state.clock.stamp(at);
    this.updatedAt = time;
    return time;
  }

  private eventId(): number {
    return this.repo.state.nextId("issue-event", 9_000_000_001);
  }

  private moveHead(sha: string): void {
    this.tip = sha;
    this.repo.git.refs.set(`refs/pull/${this.number}/head`, sha);
    if (this.headRepository === this.repo)
      this.repo.git.refs.set(`refs/heads/${this.headRef}`, sha);
  }

  /** Pushes one commit onto the head branch (a `synchronize`), by `spec.pushedBy` or the author. */
  addCommit(spec: CommitSpec = {}): CommitObject {
    const before = this.tip;
    const commit = this.appendCommit(spec);
    this.recordPush("push", before, spec.pushedBy ?? this.author, commit.committer.date);
    return commit;
  }

  /** Pushes `count` commits ("Commit 1", "Commit 2", …) at once, e.g. to pass GitHub's 250-commit limit. */
  addCommits(count: number, spec: Omit<CommitSpec, "sha"> = {}): CommitObject[] {
    const before = this.tip;
    const commits = Array.from({ length: count }, (_, i) =>
      this.appendCommit({ message: `Commit ${i + 1}`, ...spec }),
    );
    const last = commits.at(-1);
    if (last) this.recordPush("push", before, spec.pushedBy ?? this.author, last.committer.date);
    return commits;
  }

  /** Rewrites the head branch: new commits on top of `onto` (default: the base SHA). */
  forcePush(options: { commits: CommitSpec[]; by?: Account; at?: string; onto?: string }): void {
    const before = this.tip;
    const at = this.now(options.at);
    this.tip = options.onto ?? this.baseSha;
    this.commitShas = [];
    for (const spec of options.commits) this.appendCommit(spec);
    this.moveHead(this.tip);
    this.timeline.push({
      event: "head_ref_force_pushed",
      id: this.eventId(),
      actor: options.by ?? this.author,
      at,
      commitId: this.tip,
      details: { before, after: this.tip },
    });
    this.recordPush("force_push", before, options.by ?? this.author, at);
  }

  private appendCommit(spec: CommitSpec): CommitObject {
    const commit = this.repo.buildCommit([this.tip], spec, this.author);
    this.commitShas.push(commit.sha);
    this.timeline.push({ event: "committed", sha: commit.sha });
    this.updatedAt = commit.committer.date;
    this.moveHead(commit.sha);
    return commit;
  }

  /** The head branch's activity (in the fork, for a pull request from a fork). */
  private recordPush(type: ActivityType, before: string, actor: Account, at: string): void {
    this.headRepository.recordActivity({
      ref: `refs/heads/${this.headRef}`,
      before,
      after: this.tip,
      type,
      actor,
      at,
    });
  }

  addReview(options: ReviewOptions): ReviewRecord {
    const review: ReviewRecord = {
      id: this.repo.state.nextId("review", 2_000_000_001),
      user: options.user,
      state: options.state,
      body: options.body ?? "",
      commitId: options.commitId ?? this.tip,
      submittedAt: this.now(options.at),
    };
    this.reviews.push(review);
    this.timeline.push({ event: "reviewed", reviewId: review.id });
    return review;
  }

  /** Dismisses a review: its state becomes DISMISSED and the timeline gets `review_dismissed`. */
  dismissReview(
    review: ReviewRecord | number,
    options: { by?: Account; message?: string; at?: string } = {},
  ): ReviewRecord {
    const id = typeof review === "number" ? review : review.id;
    const found = this.reviews.find((r) => r.id === id);
    if (!found) throw new Error(`no review ${id} on #${this.number}`);
    const at = this.now(options.at);
    const by = options.by ?? this.repo.owner;
    found.dismissal = { by, message: options.message ?? null, at, stateBefore: found.state };
    found.state = "DISMISSED";
    this.timeline.push({
      event: "review_dismissed",
      id: this.eventId(),
      actor: by,
      at,
      reviewId: found.id,
      stateBefore: found.dismissal.stateBefore,
      message: found.dismissal.message,
      commitId: this.tip,
    });
    return found;
  }

  /** Retargets the pull request to another (existing) base branch. */
  changeBase(base: string, options: { by?: Account; at?: string } = {}): void {
    const sha = this.repo.branchSha(base);
    if (!sha) throw new Error(`base branch ${base} does not exist in ${this.repo.fullName}`);
    const from = this.baseRef;
    this.baseRef = base;
    this.baseSha = sha;
    this.timeline.push({
      event: "base_ref_changed",
      id: this.eventId(),
      actor: options.by ?? this.author,
      at: this.now(options.at),
      commitId: null,
      details: { from, to: base },
    });
  }

  addLabel(name: string, options: { by?: Account; at?: string } = {}): void {
    const label = this.repo.label(name);
    if (!this.labels.some((l) => l.id === label.id)) this.labels.push(label);
    this.timeline.push({
      event: "labeled",
      id: this.eventId(),
      actor: options.by ?? this.author,
      at: this.now(options.at),
      label: { name: label.name, color: label.color },
    });
  }

  removeLabel(name: string, options: { by?: Account; at?: string } = {}): void {
    const index = this.labels.findIndex((l) => l.name === name);
    if (index < 0) return;
    const [label] = this.labels.splice(index, 1) as [Label];
    this.timeline.push({
      event: "unlabeled",
      id: this.eventId(),
      actor: options.by ?? this.author,
      at: this.now(options.at),
      label: { name: label.name, color: label.color },
    });
  }

  markReadyForReview(options: { by?: Account; at?: string } = {}): void {
    this.draft = false;
    this.timeline.push({
      event: "ready_for_review",
      id: this.eventId(),
      actor: options.by ?? this.author,
      at: this.now(options.at),
      commitId: null,
    });
  }

  /** Appends any timeline event verbatim (served as is). */
  addTimelineEvent(payload: Record<string, unknown>): void {
    this.timeline.push({ event: "raw", payload });
  }

  /** The files the pull request changes (base SHA → head). */
  files(): FileChange[] {
    const store = this.repo.git;
    return diffTrees(
      store,
      store.commits.get(this.baseSha)?.tree,
      store.commits.get(this.tip)?.tree,
    );
  }

  /** Merges like GitHub's merge button (see landPullRequest) and closes the pull request. */
  merge(options: MergeOptions): string {
    if (this.state !== "open") throw new Error(`#${this.number} is not open`);
    const at = this.now(options.at);
    const landing = landPullRequest(
      this,
      options.by,
      options.method ?? "merge",
      at,
      options.message,
    );
    const baseBefore = this.repo.branchSha(this.baseRef) ?? ZERO_SHA;
    this.repo.git.refs.set(`refs/heads/${this.baseRef}`, landing.sha);
    // GitHub lists a merge in the base repository's activity, by whoever merged.
    this.repo.recordActivity({
      ref: `refs/heads/${this.baseRef}`,
      before: baseBefore,
      after: landing.sha,
      type: "pr_merge",
      actor: options.by,
      at,
    });
    if ((options.method ?? "merge") === "rebase") this.landedShas.push(...landing.created);
    this.merged = true;
    this.mergedAt = at;
    this.mergedBy = options.by;
    this.mergeCommitSha = landing.sha;
    this.state = "closed";
    this.closedAt = at;
    this.updatedAt = at;
    for (const event of ["merged", "closed"] as const) {
      this.timeline.push({
        event,
        id: this.eventId(),
        actor: options.by,
        at,
        commitId: landing.sha,
      });
    }
    return landing.sha;
  }

  /** Closes without merging. */
  close(options: { by?: Account; at?: string } = {}): void {
    const at = this.now(options.at);
    this.state = "closed";
    this.closedAt = at;
    this.updatedAt = at;
    this.timeline.push({
      event: "closed",
      id: this.eventId(),
      actor: options.by ?? this.author,
      at,
      commitId: null,
    });
  }

  /** Every commit GitHub associates with this pull request (for GET …/commits/{sha}/pulls). */
  associatedShas(): Set<string> {
    const shas = new Set([...this.commitShas, ...this.landedShas]);
    if (this.mergeCommitSha) shas.add(this.mergeCommitSha);
    return shas;
  }
}
