import { ownCopy, sharedCopy } from "../detach.js";
import { asObject, asString, type EvidenceRecord, type Repository } from "../model.js";
import { allChanges, byMergeOrder, type ChangeItem } from "./population.js";

/** One commit of a protected branch's first-parent history, as git reports it. */
export interface BranchCommit {
  sha: string;
  /** Committer date, ISO 8601 in UTC: when the commit was written into the branch's history. */
  committedAt: string;
  author: string;
  authorEmail?: string;
  /** The first line of the message. */
  subject: string;
}

/** The first-parent history of one protected branch of a repository, newest first. */
export interface BranchHistory {
  /** owner/name. */
  repository: string;
  branch: string;
  /** The git ref it was read from (e.g. refs/remotes/origin/main). */
  ref: string;
  commits: BranchCommit[];
}

/** A change record as completeness needs it: its commits besides the merged one. */
export interface RecordedChange {
  id: string;
  repository: string;
  type: ChangeItem["type"];
  baseRef: string;
  mergedSha: string;
  mergedAt: string;
  mergeMethod?: string;
  exception?: ChangeItem["exception"];
  commits: Array<{ sha: string; subject?: string }>;
  /** False for a record with no chain link: not written by the App (see ChangeItem.chained). */
  chained?: boolean;
}

/** How a commit was tied to its record. */
export type MatchKind =
  /** The commit is the record's merged_sha (a squash, a merge commit, the head of a push). */
  | "merged-commit"
  /** The commit is listed in the record's commits (a direct push, a fast-forward). */
  | "listed-commit"
  /** A commit GitHub rewrote when it rebased the pull request: just below the merged commit, with the subject of one of the record's commits. */
  | "rebased-commit";

export interface CommitMatch {
  sha: string;
  record: string;
  how: MatchKind;
  /** The exception type, when the record is an exception. */
  exception?: string;
  /** True when the record's merge date is outside the period although the commit's date is inside. */
  recordOutsidePeriod?: boolean;
  /** True when the record has no chain link: the App did not write it, so it may be fabricated. */
  unchained?: boolean;
}

export interface UnaccountedCommit {
  repository: string;
  branch: string;
  sha: string;
  committedAt: string;
  author: string;
  authorEmail?: string;
  subject: string;
}

export interface BranchCompleteness {
  repository: string;
  branch: string;
  ref: string;
  /** Commits of the branch in the period. */
  commits: number;
  /** Of those, tied to a record that met the rules. */
  recorded: number;
  /** Of those, tied to a record that is an exception. */
  exceptions: number;
  unaccounted: UnaccountedCommit[];
  matches: CommitMatch[];
  /** Records of this repository and branch, merged in the period, whose merged commit is not in this history. */
  recordsNotInHistory: string[];
}

export interface CompletenessReport {
  checked: true;
  period: { from: string; to: string };
  /** True when every commit in the period is tied to a record. */
  complete: boolean;
  totals: { commits: number; recorded: number; exceptions: number; unaccounted: number };
  branches: BranchCompleteness[];
  unaccounted: UnaccountedCommit[];
  /** Repositories in the population, or in system.boundaries.repositories, whose history was not given. */
  notChecked: string[];
}

/** Each change record's commits, read from the records, for matching against git history. */
export function recordedChanges(repo: Repository): RecordedChange[] {
  const byId = new Map(repo.evidence.map((r) => [r.id, r]));
  return allChanges(repo).map((item) => recordedChange(byId.get(item.id)!, item));
}

/**
 * What the completeness check needs of one change record, given its population row; each
 * commit's subject only for a rebase merge (the one match that reads subjects). Short-lived:
 * the matcher keeps a tie of it (tieFor), which copies what it keeps.
 */
export function recordedChange(record: EvidenceRecord, item: ChangeItem): RecordedChange {
  const content = asObject(record.content);
  const rebase = item.mergeMethod === "rebase";
  const commits = (Array.isArray(content.commits) ? content.commits : []).flatMap((c) => {
    const commit = asObject(c);
    const sha = asString(commit.sha);
    const message = rebase ? asString(commit.message) : undefined;
    return sha ? [{ sha, ...(message ? { subject: firstLine(message) } : {}) }] : [];
  });
  return {
    id: item.id,
    repository: item.repository,
    type: item.type,
    baseRef: item.baseRef,
    mergedSha: item.mergedSha,
    mergedAt: item.mergedAt,
    ...(item.mergeMethod ? { mergeMethod: item.mergeMethod } : {}),
    ...(item.exception ? { exception: item.exception } : {}),
    commits,
    chained: item.chained,
  };
}

export interface CompletenessInput {
  /** First and last day, YYYY-MM-DD, inclusive, UTC. */
  from: string;
  to: string;
  /** Whole first-parent histories (not cut to the period): a rebase can straddle its start. */
  histories: readonly BranchHistory[];
  changes: readonly RecordedChange[];
  /** Repositories that should have been checked (the population's, system.boundaries.repositories). */
  expectedRepositories?: readonly string[];
}

/**
 * Ties every commit of each protected branch in the period to a change record: by its SHA (the
 * record's merged commit or one of its listed commits), or, for a rebase merge, as one of the
 * commits GitHub rewrote just below the merged commit. A commit tied to no record is unaccounted
 * for: a change that reached the branch and left no evidence.
 */
export function checkCompleteness(input: CompletenessInput): CompletenessReport {
  const matcher = new CompletenessMatcher(input);
  for (const change of input.changes) matcher.add(change);
  return matcher.finish(input.expectedRepositories);
}

/**
 * What a change leaves on a commit it claims: what the report prints of it, and for a rebase
 * merge the subjects of the commits GitHub rewrote. A population of years keeps one a commit,
 * not the change itself.
 */
interface Tie {
  id: string;
  mergedAt: string;
  exception?: string;
  unchained: boolean;
  rebasedSubjects?: Array<string | undefined>;
}

/** One branch's history, indexed by SHA, with the changes that claim its commits so far. */
interface BranchMatch {
  history: BranchHistory;
  repository: string;
  at: Map<string, number>;
  merged: Array<Tie | undefined>;
  listed: Array<Tie | undefined>;
  notInHistory: Tie[];
}

/**
 * checkCompleteness fed one change at a time, so that a population of years is matched as its
 * records stream by: each change leaves a small tie on the commits it claims, and the change
 * itself goes. Where two changes claim one commit, merge order decides as if they had been added
 * in it: the last to claim it as its merged commit wins, the first to list it.
 */
export class CompletenessMatcher {
  private readonly branches: BranchMatch[];
  private readonly inPeriod: (iso: string) => boolean;

  constructor(private readonly input: Pick<CompletenessInput, "from" | "to" | "histories">) {
    this.inPeriod = (iso) => {
      const day = iso.slice(0, 10);
      return day >= input.from && day <= input.to;
    };
    this.branches = input.histories.map((history) => ({
      history,
      repository: history.repository.toLowerCase(),
      at: new Map(history.commits.map((c, index) => [c.sha.toLowerCase(), index])),
      merged: new Array<Tie | undefined>(history.commits.length),
      listed: new Array<Tie | undefined>(history.commits.length),
      notInHistory: [],
    }));
  }

  add(change: RecordedChange): void {
    const repository = change.repository.toLowerCase();
    let tie: Tie | undefined;
    const tieOf = (): Tie => (tie ??= tieFor(change));
    const mergedSha = change.mergedSha.toLowerCase();
    const claimsMerged = claimedBy(change).merged;
    for (const branch of this.branches) {
      if (branch.repository !== repository) continue;
      if (claimsMerged) {
        const index = branch.at.get(mergedSha);
        if (index === undefined) {
          if (change.baseRef === branch.history.branch && this.inPeriod(change.mergedAt))
            branch.notInHistory.push(tieOf());
        } else if (!branch.merged[index] || byMergeOrder(branch.merged[index]!, change) <= 0)
          branch.merged[index] = tieOf();
      }
      for (const commit of change.commits) {
        const index = branch.at.get(commit.sha.toLowerCase());
        if (index === undefined) continue;
        const before = branch.listed[index];
        if (!before || byMergeOrder(change, before) < 0) branch.listed[index] = tieOf();
      }
    }
  }

  finish(expectedRepositories: readonly string[] = []): CompletenessReport {
    const branches = this.branches.map((b) => this.checkBranch(b));
    const unaccounted = branches.flatMap((b) => b.unaccounted);
    const checkedRepos = new Set(this.input.histories.map((h) => h.repository.toLowerCase()));
    const notChecked = [...new Set(expectedRepositories.filter(Boolean))]
      .filter((r) => !checkedRepos.has(r.toLowerCase()))
      .sort();
    const totals = {
      commits: sum(branches.map((b) => b.commits)),
      recorded: sum(branches.map((b) => b.recorded)),
      exceptions: sum(branches.map((b) => b.exceptions)),
      unaccounted: unaccounted.length,
    };
    return {
      checked: true,
      period: { from: this.input.from, to: this.input.to },
      complete: unaccounted.length === 0,
      totals,
      branches,
      unaccounted,
      notChecked,
    };
  }

  private checkBranch(branch: BranchMatch): BranchCompleteness {
    const { history } = branch;
    const commits = history.commits;
    const how: Array<MatchKind | undefined> = new Array(commits.length);
    const tied: Array<Tie | undefined> = new Array(commits.length);
    for (let index = 0; index < commits.length; index++) {
      const merged = branch.merged[index];
      const listed = branch.listed[index];
      if (merged) [tied[index], how[index]] = [merged, "merged-commit"];
      else if (listed) [tied[index], how[index]] = [listed, "listed-commit"];
    }
    // A rebase merge writes one new commit per pull-request commit, the last being merged_sha: the
    // others sit just below it in first-parent order, with new SHAs but the original subjects.
    for (let index = 0; index < commits.length; index++) {
      const at = tied[index];
      if (!at?.rebasedSubjects || how[index] !== "merged-commit") continue;
      const subjects = at.rebasedSubjects;
      const known = subjects.every((s) => s !== undefined);
      const remaining = [...subjects];
      for (let k = index + 1; k < commits.length && remaining.length > 0; k++) {
        if (tied[k]) break;
        const position = known ? remaining.indexOf(commits[k]!.subject) : 0;
        if (position < 0) break;
        remaining.splice(position, 1);
        [tied[k], how[k]] = [at, "rebased-commit"];
      }
    }

    const matches: CommitMatch[] = [];
    const unaccounted: UnaccountedCommit[] = [];
    let recorded = 0;
    let exceptions = 0;
    let count = 0;
    commits.forEach((commit, index) => {
      if (!this.inPeriod(commit.committedAt)) return;
      count++;
      const at = tied[index];
      if (!at) {
        unaccounted.push({
          repository: history.repository,
          branch: history.branch,
          sha: commit.sha,
          committedAt: commit.committedAt,
          author: commit.author,
          ...(commit.authorEmail ? { authorEmail: commit.authorEmail } : {}),
          subject: commit.subject,
        });
        return;
      }
      if (at.exception !== undefined) exceptions++;
      else recorded++;
      matches.push({
        sha: commit.sha,
        record: at.id,
        how: how[index]!,
        ...(at.exception !== undefined ? { exception: at.exception } : {}),
        ...(this.inPeriod(at.mergedAt) ? {} : { recordOutsidePeriod: true }),
        ...(at.unchained ? { unchained: true } : {}),
      });
    });

    return {
      repository: history.repository,
      branch: history.branch,
      ref: history.ref,
      commits: count,
      recorded,
      exceptions,
      unaccounted,
      matches,
      recordsNotInHistory: branch.notInHistory.sort(byMergeOrder).map((c) => c.id),
    };
  }
}

/**
 * A change's tie, with copies of the strings it keeps: a change's strings may be slices of its
 * record's text, which a kept slice would keep alive whole.
 */
function tieFor(change: RecordedChange): Tie {
  const mergedSha = change.mergedSha.toLowerCase();
  const copy = (text: string | undefined) => (text === undefined ? undefined : ownCopy(text));
  return {
    id: ownCopy(change.id),
    mergedAt: ownCopy(change.mergedAt),
    ...(change.exception ? { exception: sharedCopy(change.exception.type) } : {}),
    unchained: change.chained === false,
    ...(change.mergeMethod === "rebase"
      ? {
          rebasedSubjects: change.commits
            .filter((c) => c.sha.toLowerCase() !== mergedSha)
            .map((c) => copy(c.subject)),
        }
      : {}),
  };
}

const ZERO_SHA = /^0+$/;

/**
 * Whether a record claims its merged_sha. A pull request's record does. A direct push claims only
 * the commits it lists, the ones the push brought: a push that rewinds a branch onto an existing
 * commit (a pull request's merge commit) brought none, and records written before the App said so
 * still name the commit the branch was left at as merged_sha. Trusting that would let the rewind's
 * record account for the merge commit, and the pull request's own record could be deleted unseen.
 */
function claimedBy(change: RecordedChange): { merged: boolean } {
  const merged = change.mergedSha.toLowerCase();
  if (ZERO_SHA.test(merged)) return { merged: false };
  if (change.type !== "direct-push") return { merged: true };
  return { merged: change.commits.some((c) => c.sha.toLowerCase() === merged) };
}

/** The report as lines of text, for a terminal or a log. */
export function renderCompletenessText(report: CompletenessReport): string {
  const { totals } = report;
  const lines: string[] = [];
  lines.push(
    `completeness ${report.period.from} to ${report.period.to}: ${totals.commits} commit(s) on ${report.branches.length} protected branch(es); ` +
      `${totals.recorded} tied to a recorded change, ${totals.exceptions} to a recorded exception, ${totals.unaccounted} unaccounted for`,
  );
  for (const b of report.branches) {
    lines.push(
      `  ${b.repository} ${b.branch} (${b.ref}): ${b.commits} commit(s), ${b.recorded} recorded, ${b.exceptions} exception(s), ${b.unaccounted.length} unaccounted for`,
    );
    for (const c of b.unaccounted)
      lines.push(
        `    ✗ ${c.sha} ${c.committedAt} ${printable(c.author)}${c.authorEmail ? ` <${printable(c.authorEmail)}>` : ""}: ${printable(c.subject)}`,
      );
    const unchained = b.matches.filter((m) => m.unchained);
    if (unchained.length > 0)
      lines.push(
        `    note: ${unchained.length} commit(s) are tied only to records outside the hash chain, which the App did not write (run soc2 verify): ${[...new Set(unchained.map((m) => m.record))].join(", ")}`,
      );
    if (b.recordsNotInHistory.length > 0)
      lines.push(
        `    note: ${b.recordsNotInHistory.length} record(s) of ${b.branch} in the period have a merged commit that is not in this clone (fetch it, or check them): ${b.recordsNotInHistory.join(", ")}`,
      );
  }
  if (report.unaccounted.length > 0)
    lines.push(
      `✗ ${report.unaccounted.length} commit(s) reached a protected branch with no change record: each is a change without evidence of approval`,
    );
  else
    lines.push("✓ every commit in the period is tied to a change record or a recorded exception");
  if (report.notChecked.length > 0)
    lines.push(
      `  not checked (no --history given): ${report.notChecked.join(", ")}; add --history <owner/name>=<clone> for each`,
    );
  return lines.join("\n") + "\n";
}

/** Git names and subjects are anyone's text: no control characters (terminal escapes) reach a terminal. */
// eslint-disable-next-line no-control-regex
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const firstLine = (text: string) => text.split(/\r?\n/, 1)[0]!.trim();
