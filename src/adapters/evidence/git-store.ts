import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CheckRepoActions, simpleGit, type SimpleGit, type SimpleGitOptions } from "simple-git";
import {
  batchFiles,
  batchIndexPaths,
  batchIndexUpdates,
  planBatch,
} from "../../core/evidence/batch-plan.js";
import type { AppendPlan } from "../../core/evidence/append-plan.js";
import { parseChainHead, type ChainHead } from "../../core/evidence/chain-head.js";
import type {
  AppendResult,
  EvidenceStore,
  PendingRecord,
} from "../../core/evidence/pending-record.js";
import type { IndexFile } from "../../core/evidence/indexes.js";
import { chainHeadPath } from "../../core/evidence/record-path.js";
import { readBlobs } from "./git-blobs.js";
import { batchFailure, batchLabel, validRecords, type ValidRecord } from "./batch-records.js";
import { batchCommitMessage, isoSeconds } from "./commit-message.js";
import { EvidenceRecordError, EvidenceStoreError, describeError } from "./errors.js";
import { acquireFileLock, LockTimeoutError } from "./file-lock.js";
import { DEFAULT_MAX_BATCH_RECORDS, GroupCommit, type BatchResults } from "./group-commit.js";
import {
  backoff,
  retryPolicy,
  withRetries,
  type Retry,
  type RetryOptions,
  type RetryPolicy,
} from "./retry.js";

export interface GitEvidenceStoreOptions extends RetryOptions {
  /** The working copy the store owns: created (`git init -b <branch>`) when missing. */
  dir: string;
  /** A remote to push to (any URL or path git accepts). Without it, the repository in `dir` is the store. */
  remote?: string;
  /** The branch records are committed to. Default main. */
  branch?: string;
  /** The evidence folder in the repository. Default evidence. */
  evidencePath?: string;
  /** Author and committer of the commits. */
  author: { name: string; email: string };
  /** A lock file older than this belongs to a writer that died. Default 30 000 ms. */
  lockStaleMs?: number;
  /** How long to wait for another writer's lock. Default 60 000 ms. */
  lockTimeoutMs?: number;
  /**
   * Keep the Markdown indexes of the evidence folder (README.md, index/by-*) current: each commit
   * also adds the record's row to them. Default true.
   */
  indexes?: boolean;
  /** Records in one commit at most (group commit). Default 100; 1 writes one commit per record. */
  maxBatchRecords?: number;
}

/** Push rejected, or the local repository moved: rebuild on the new tip. */
class Conflict extends Error {
  override name = "Conflict";
}

const LOCK_FILE = "soc2-evidence.lock";

// Failures another attempt can get past: a git lock held by a concurrent git command, or the
// network between here and the remote.
const TRANSIENT =
  /index\.lock|cannot lock ref|unable to access|could not resolve host|connection|timed out|early eof|hung up|could not read from remote/i;

/** What `git commit` needs of the environment besides the dates: where git is, and its home. */
const COMMIT_ENVIRONMENT = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "SYSTEMROOT"];

function classifyGitFailure(error: unknown): Retry | undefined {
  if (error instanceof Conflict) return { reason: "conflict" };
  const message = error instanceof Error ? error.message : String(error);
  return TRANSIENT.test(message) ? { reason: "network" } : undefined;
}

/** The line of git's output that says what went wrong. */
function gitProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n").map((l) => l.trim());
  const line = lines.find((l) => /^(fatal|error):|^! \[|rejected/.test(l)) ?? lines[0] ?? "";
  return describeError(line);
}

/**
 * Writes evidence records to a git repository with simple-git: a local repository (the embedded
 * default) or a clone of any remote. Records that arrive while a commit is being written go
 * together into the next commit (group commit, ADR 0006), each linked to the one before in arrival
 * order, with chain-head.json and the indexes updated once. One batch is written at a time; a lock
 * file in the repository's git directory keeps processes sharing the directory apart; a push the
 * remote rejects (another writer pushed first) is retried on the remote's new tip. An append
 * resolves once its commit is on the branch and, with a remote, pushed.
 */
export class GitEvidenceStore implements EvidenceStore {
  private readonly branch: string;
  private readonly evidencePath: string;
  private readonly policy: RetryPolicy;
  private readonly group: GroupCommit;
  private git!: SimpleGit;
  private ready: Promise<string> | undefined;

  constructor(private readonly options: GitEvidenceStoreOptions) {
    this.branch = options.branch ?? "main";
    this.evidencePath = options.evidencePath ?? "evidence";
    this.policy = retryPolicy(options);
    this.group = new GroupCommit((records) => this.writeBatch(records), {
      maxRecords: options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS,
    });
  }

  append(record: PendingRecord): Promise<AppendResult> {
    return this.group.append(record);
  }

  private get where(): string {
    return this.options.remote
      ? `${this.options.remote}@${this.branch}`
      : `${this.options.dir}@${this.branch}`;
  }

  private async writeBatch(records: PendingRecord[]): Promise<BatchResults> {
    const { valid, results } = validRecords(records, this.evidencePath);
    if (valid.length === 0) return results;
    try {
      for (const [id, result] of await this.writeLocked(valid)) results.set(id, result);
    } catch (error) {
      for (const { record, path } of valid) results.set(record.id, batchFailure(error, path, this.where));
    }
    return results;
  }

  private async writeLocked(valid: ValidRecord[]): Promise<Map<string, AppendResult | Error>> {
    const path = batchLabel(valid);
    const where = this.where;
    const gitDir = await (this.ready ??= this.initialize()).catch((error: unknown) => {
      this.ready = undefined;
      throw new EvidenceStoreError(
        `could not store evidence record ${path} in ${where}: the repository could not be prepared: ${gitProblem(error)}`,
        path,
        1,
        undefined,
        { cause: error },
      );
    });
    let lock;
    try {
      lock = await acquireFileLock(join(gitDir, LOCK_FILE), {
        staleMs: this.options.lockStaleMs ?? 30_000,
        timeoutMs: this.options.lockTimeoutMs ?? 60_000,
        now: () => this.policy.now().getTime(),
      });
    } catch (error) {
      if (!(error instanceof LockTimeoutError)) throw error;
      throw new EvidenceStoreError(
        `could not store evidence record ${path} in ${where}: ${error.message}`,
        path,
        0,
      );
    }
    // Holding the store's lock, no writer of ours is running: an index.lock git left behind was
    // left by a git process that died with its writer (SIGKILL, a crash), and would fail every
    // commit from now on.
    await rm(join(gitDir, "index.lock"), { force: true });
    try {
      return await withRetries(
        this.policy,
        { path, where },
        async () => {
          await lock.refresh();
          return this.attempt(valid);
        },
        classifyGitFailure,
      );
    } finally {
      await lock.release();
    }
  }

  /**
   * Creates the repository when missing and points it at the remote; returns the git directory.
   * Two writers starting at once on a new directory both run `git init`, and one may find the
   * other's config lock: a few quick tries settle it.
   */
  private async initialize(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.initializeOnce();
      } catch (error) {
        if (attempt >= 5) throw error;
        await this.policy.sleep(backoff(this.policy, attempt));
      }
    }
  }

  private clientOptions(): Partial<SimpleGitOptions> {
    return {
      baseDir: this.options.dir,
      allowEnvironment: ["GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"],
      config: [`user.name=${this.options.author.name}`, `user.email=${this.options.author.email}`],
    };
  }

  private async initializeOnce(): Promise<string> {
    await mkdir(this.options.dir, { recursive: true });
    // simple-git passes no GIT_* variables from the environment: the identity is set here, and the
    // commit dates are let through so that commits carry the store's clock (see commitAt).
    this.git = simpleGit(this.clientOptions());
    if (!(await this.git.checkIsRepo(CheckRepoActions.IS_REPO_ROOT))) {
      await this.git.raw(["init", "-b", this.branch]);
    }
    if (this.options.remote) {
      const remotes = await this.git.getRemotes(true);
      const origin = remotes.find((r) => r.name === "origin");
      if (!origin) await this.git.addRemote("origin", this.options.remote).catch(() => undefined);
      else if (origin.refs.push !== this.options.remote)
        await this.git.remote(["set-url", "origin", this.options.remote]);
    }
    return (await this.git.raw(["rev-parse", "--absolute-git-dir"])).trim();
  }

  private async attempt(valid: ValidRecord[]): Promise<Map<string, AppendResult | Error>> {
    const tip = this.options.remote ? await this.syncWithRemote() : await this.localTip();
    const headPath = chainHeadPath(this.evidencePath);
    const atTip = tip
      ? await readBlobs(this.options.dir, tip, [...valid.map((v) => v.path), headPath])
      : new Map<string, string>();
    const results = new Map<string, AppendResult | Error>();
    const fresh: PendingRecord[] = [];
    for (const { record, path } of valid)
      if (atTip.has(path)) results.set(record.id, { status: "exists", path });
      else fresh.push(record);
    if (fresh.length === 0) return results;
    const headText = atTip.get(headPath);
    const head = headText === undefined ? undefined : this.readHead(tip!, headPath, headText);
    const at = this.policy.now();
    const batch = planBatch({
      records: fresh,
      head,
      evidencePath: this.evidencePath,
      recordedAt: isoSeconds(at),
    });
    for (const r of batch.refused) results.set(r.id, new EvidenceRecordError(r.path, r.problems));
    if (batch.plans.length === 0) return results;
    const files = batchFiles(batch, await this.indexUpdates(batch.plans, tip));
    for (const { path: file, text } of files) {
      await mkdir(dirname(join(this.options.dir, file)), { recursive: true });
      await writeFile(join(this.options.dir, file), text, "utf8");
    }
    const paths = files.map((f) => f.path);
    // Neither command is --quiet: simple-git waits 50 ms more after a command that printed nothing.
    await this.git.raw(["add", "--verbose", "--", ...paths]);
    await this.commitAt(at).raw(["commit", "-m", batchCommitMessage(batch.plans), "--", ...paths]);
    const [commit = "", parent] = (await this.git.raw(["rev-list", "--parents", "-n", "1", "HEAD"]))
      .trim()
      .split(" ");
    if ((parent || undefined) !== tip) {
      // Someone committed in this working copy outside the store, so the links just written may
      // not follow the real head: take the commit back (only if the branch is still on it) and
      // start again.
      if (parent)
        await this.git.raw(["update-ref", `refs/heads/${this.branch}`, parent, commit]).catch(() => "");
      throw new Conflict(`${this.branch} moved while the records were being committed`);
    }
    if (this.options.remote) {
      try {
        await this.git.raw(["push", "--porcelain", "origin", `HEAD:refs/heads/${this.branch}`]);
      } catch (error) {
        // Rejected (another writer pushed first) or unreachable: the next attempt starts again
        // from what the remote has.
        throw new Conflict(`the push to the remote failed: ${gitProblem(error)}`);
      }
    }
    for (const plan of batch.plans)
      results.set(plan.record.id, {
        status: "written",
        path: plan.path,
        commit,
        sequence: plan.head.sequence,
      });
    return results;
  }

  /**
   * The commit is dated by the store's clock, the one that stamped recorded_at, so that
   * `soc2 verify` (which checks that no record was committed before it was recorded) compares
   * one clock with itself, not with git's reading of the system clock.
   */
  private commitAt(at: Date): SimpleGit {
    const date = `${Math.floor(at.getTime() / 1000)} +0000`;
    // A separate client: simple-git's env() replaces the whole environment of every later command.
    const env: Record<string, string> = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    for (const name of COMMIT_ENVIRONMENT) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    return simpleGit(this.clientOptions()).env(env);
  }

  /** The current commit of the branch in the working copy, checked out; undefined before the first. */
  private async localTip(): Promise<string | undefined> {
    const current = (await this.git.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(() => "")).trim();
    if (current !== this.branch) {
      const exists = await this.git.raw(["rev-parse", "--verify", "--quiet", `refs/heads/${this.branch}`]).then(
        () => true,
        () => false,
      );
      if (exists) await this.git.raw(["checkout", "--quiet", this.branch]);
      else await this.git.raw(["symbolic-ref", "HEAD", `refs/heads/${this.branch}`]);
    }
    const tip = (await this.git.raw(["rev-parse", "--verify", "--quiet", "HEAD"]).catch(() => "")).trim();
    return tip || undefined;
  }

  /**
   * Makes the working copy exactly the remote's branch (dropping any commit an earlier attempt
   * could not push); undefined when the remote has no such branch yet.
   */
  private async syncWithRemote(): Promise<string | undefined> {
    const remoteRef = `refs/remotes/origin/${this.branch}`;
    let found = true;
    try {
      // --verbose and no --quiet below: simple-git waits 50 ms more after a command that printed nothing.
      await this.git.raw(["fetch", "--verbose", "origin", `+refs/heads/${this.branch}:${remoteRef}`]);
    } catch (error) {
      if (!/couldn't find remote ref|could not find remote ref/i.test(String(error))) throw error;
      found = false;
    }
    if (found) {
      await this.git.raw(["checkout", "-f", "-B", this.branch, remoteRef]);
      return (await this.git.raw(["rev-parse", remoteRef])).trim();
    }
    // The remote has no such branch: start it from nothing.
    await this.git.raw(["symbolic-ref", "HEAD", `refs/heads/${this.branch}`]);
    await this.git.raw(["update-ref", "-d", `refs/heads/${this.branch}`]).catch(() => "");
    await this.git.raw(["read-tree", "--empty"]);
    return undefined;
  }

  /**
   * The index files the batch changes (README.md and the indexes of its periods, controls and
   * repositories), from their text at the tip, so they land in the batch's commit.
   */
  private async indexUpdates(plans: AppendPlan[], tip: string | undefined): Promise<IndexFile[]> {
    if (this.options.indexes === false) return [];
    const paths = batchIndexPaths(plans, this.evidencePath);
    const existing = tip ? await readBlobs(this.options.dir, tip, paths) : new Map<string, string>();
    return batchIndexUpdates(plans, this.evidencePath, existing);
  }

  private readHead(commit: string, headPath: string, text: string): ChainHead {
    const read = parseChainHead(text);
    if (!read.ok)
      throw new EvidenceStoreError(
        `could not store evidence in ${this.where}: ${headPath} at ${commit} cannot be read (${read.problem}); restore it from the git history before more evidence is written`,
        headPath,
        1,
      );
    return read.head;
  }
}
