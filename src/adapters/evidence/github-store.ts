import { chainHeadPath, recordPath } from "../../core/evidence/record-path.js";
import { parseChainHead, type ChainHead } from "../../core/evidence/chain-head.js";
import {
  batchFiles,
  batchIndexPaths,
  batchIndexUpdates,
  pendingIndexPaths,
  planBatch,
  type BatchPlan,
} from "../../core/evidence/batch-plan.js";
import type { IndexFile } from "../../core/evidence/indexes.js";
import type {
  AppendResult,
  EvidenceStore,
  PendingRecord,
} from "../../core/evidence/pending-record.js";
import { statusOf, type GitHubClient } from "../github/client.js";
import { batchCommitMessage, isoSeconds } from "./commit-message.js";
import { EvidenceRecordError, EvidenceStoreError } from "./errors.js";
import { classifyGitHubFailure, RefConflict, RepositoryInitialized } from "./github-retry.js";
import { inParallel } from "../in-parallel.js";
import { GroupCommit, DEFAULT_MAX_BATCH_RECORDS, type BatchResults } from "./group-commit.js";
import { batchFailure, batchLabel, validRecords, type ValidRecord } from "./batch-records.js";
import { retryPolicy, withRetries, type RetryOptions, type RetryPolicy } from "./retry.js";
import { DEFAULT_MAX_REQUEST_BYTES, splitTreeEntries } from "./tree-requests.js";
import type { KnownTip, WriterLock } from "./writer-lock.js";

export interface GitHubEvidenceStoreOptions extends RetryOptions {
  /** The evidence repository, as owner/name. */
  repository: string;
  /** The branch records are committed to. Default main. */
  branch?: string;
  /** The evidence folder in that repository. Default evidence. */
  evidencePath?: string;
  /**
   * Author and committer of the commits. Leave it out with an App installation token: the commit
   * is then made by the App's bot account and signed by GitHub.
   */
  committer?: { name: string; email: string };
  /**
   * Keep the Markdown indexes of the evidence folder (README.md, index/by-*) current: each commit
   * also adds the records' rows to them. Default true.
   */
  indexes?: boolean;
  /** Records in one commit at most (group commit). Default 100; 1 writes one commit per record. */
  maxBatchRecords?: number;
  /** The largest tree request body; a larger batch is sent in several tree requests. Default 4 MiB. */
  maxRequestBytes?: number;
  /**
   * Serializes the writers of this branch across processes (App replicas) and hands each the tip
   * the last one left (PostgreSQL: `PostgresWriterLock`). Without it, concurrent writers still
   * never lose a record: the one whose ref update is refused rebuilds its batch on the new tip.
   */
  writerLock?: WriterLock;
}

interface Tip {
  commit: string;
  tree: string;
}

/** What the store knows of the branch between batches, so that it need not read it again. */
interface BranchState {
  /** Undefined: the branch does not exist yet. */
  tip: Tip | undefined;
  head: ChainHead | undefined;
  /** Index files' text at the tip (undefined: no such file), read once, then kept by our commits. */
  indexes: Map<string, string | undefined>;
}

const README = `# Evidence

Evidence records written by soc2-as-code. Records are append-only: never edit or delete one.
Each record carries a digest of its content and a link (chain) to the record before it;
chain-head.json names the last. \`soc2 validate\` and \`soc2 verify\` check them.
`;

/** Existence checks of one batch sent at once, at most. */
const READ_CONCURRENCY = 8;

/**
 * Writes evidence records to a GitHub repository through the Git Data API, many records per
 * commit (group commit, ADR 0006): the records that arrive while a commit is being written go
 * together into the next one, as one tree request with the files inline, one commit and one
 * fast-forward ref update. Each record is still linked to the one before in arrival order, and
 * chain-head.json and the indexes change once per commit.
 *
 * The store keeps the chain head and the index files in memory between commits, and reads them
 * from GitHub again only when the ref moved under it (the update is refused as not a fast
 * forward): then it rebuilds the batch on the new tip. So concurrent writers (replicas,
 * redeliveries) never lose a record nor write one twice.
 */
export class GitHubEvidenceStore implements EvidenceStore {
  private readonly owner: string;
  private readonly repo: string;
  private readonly branch: string;
  private readonly evidencePath: string;
  private readonly policy: RetryPolicy;
  private readonly group: GroupCommit;
  private state: BranchState | undefined;

  constructor(
    private readonly client: GitHubClient,
    private readonly options: GitHubEvidenceStoreOptions,
  ) {
    const [owner, repo, ...rest] = options.repository.split("/");
    if (!owner || !repo || rest.length > 0)
      throw new Error(`evidence repository "${options.repository}" must be owner/name`);
    this.owner = owner;
    this.repo = repo;
    this.branch = options.branch ?? "main";
    this.evidencePath = options.evidencePath ?? "evidence";
    this.policy = retryPolicy(options);
    const lock = options.writerLock;
    this.group = new GroupCommit((records) => this.writeBatch(records), {
      maxRecords: options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS,
      // With a writer lock, a batch is taken only once the lock is held: the appends that arrive
      // while another replica writes join it.
      ...(lock
        ? {
            around: (write: () => Promise<void>) =>
              lock.hold(`${this.where}:${this.evidencePath}`, async (recorded) => {
                this.adopt(recorded);
                await write();
                const tip = this.state?.tip;
                return { value: undefined, ...(tip ? { tip: { ...tip, head: this.state?.head } } : {}) };
              }),
            failure: (error: unknown, record: PendingRecord) =>
              batchFailure(error, recordPath(this.evidencePath, record.id), this.where),
          }
        : {}),
    });
  }

  /**
   * Appends one record. It resolves once a commit holding the record is on the branch (or the
   * record was there already), and rejects when that commit could not be made.
   */
  append(record: PendingRecord): Promise<AppendResult> {
    return this.group.append(record);
  }

  private get where(): string {
    return `${this.options.repository}@${this.branch}`;
  }

  private async writeBatch(records: PendingRecord[]): Promise<BatchResults> {
    const { valid, results } = validRecords(records, this.evidencePath);
    if (valid.length === 0) return results;
    try {
      for (const [id, result] of await this.writeWithRetries(valid)) results.set(id, result);
    } catch (error) {
      for (const { record, path } of valid) results.set(record.id, batchFailure(error, path, this.where));
    }
    return results;
  }

  /** Takes the tip the last writer recorded, unless it is the one the store already knows. */
  private adopt(recorded: KnownTip | undefined): void {
    if (!recorded || this.state?.tip?.commit === recorded.commit) return;
    this.state = {
      tip: { commit: recorded.commit, tree: recorded.tree },
      head: recorded.head,
      indexes: new Map(),
    };
  }

  private writeWithRetries(valid: ValidRecord[]): Promise<Map<string, AppendResult | Error>> {
    // Records known to be absent at a commit: a retry on the same tip does not ask again.
    const absentAt = new Map<string, string>();
    return withRetries(
      this.policy,
      { path: batchLabel(valid), where: this.where },
      () => this.attempt(valid, absentAt),
      (error) => classifyGitHubFailure(error, this.policy.now()),
    );
  }

  private async attempt(
    valid: ValidRecord[],
    absentAt: Map<string, string>,
  ): Promise<Map<string, AppendResult | Error>> {
    const state = (this.state ??= await this.readState());
    const base = state.tip?.commit;
    const recordedAt = isoSeconds(this.policy.now());
    // The index files the records will likely touch are read together with the existence checks:
    // one round trip, not two.
    const likely =
      this.options.indexes === false
        ? []
        : pendingIndexPaths(
            valid.map((v) => v.record),
            this.evidencePath,
            recordedAt,
          );
    const [stored] = await Promise.all([
      inParallel(valid, READ_CONCURRENCY, ({ path }) =>
        base === undefined || absentAt.get(path) === base ? false : this.exists(path, base),
      ),
      this.loadIndexes(likely, state),
    ]);
    const results = new Map<string, AppendResult | Error>();
    const fresh: PendingRecord[] = [];
    valid.forEach(({ record, path }, n) => {
      if (stored[n]) return void results.set(record.id, { status: "exists", path });
      if (base !== undefined) absentAt.set(path, base);
      fresh.push(record);
    });
    if (fresh.length === 0) return results;
    const batch = planBatch({
      records: fresh,
      head: state.head,
      evidencePath: this.evidencePath,
      recordedAt,
    });
    for (const r of batch.refused) results.set(r.id, new EvidenceRecordError(r.path, r.problems));
    if (batch.plans.length === 0) return results;
    const indexes = await this.indexUpdates(batch, state);
    const tip = await this.commit(batch, batchFiles(batch, indexes), state.tip);
    const known = new Map(state.indexes);
    for (const file of indexes) known.set(file.path, file.text);
    this.state = { tip, head: batch.head, indexes: known };
    for (const plan of batch.plans)
      results.set(plan.record.id, {
        status: "written",
        path: plan.path,
        commit: tip.commit,
        sequence: plan.head.sequence,
      });
    return results;
  }

  /** The branch as it is on GitHub: its tip and chain head. */
  private async readState(): Promise<BranchState> {
    const tip = await this.readTip();
    const head = tip ? await this.readHead(tip.commit) : undefined;
    return { tip, head, indexes: new Map() };
  }

  /** The branch tip and its tree; undefined when the branch does not exist yet. */
  private async readTip(): Promise<Tip | undefined> {
    let commit: string;
    try {
      const ref = await this.client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
        ...this.repoParams(),
        ref: `heads/${this.branch}`,
      });
      commit = (ref.data as { object: { sha: string } }).object.sha;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return undefined;
      if (status === 409 && /empty/i.test(error instanceof Error ? error.message : "")) {
        await this.initialize();
        throw new RepositoryInitialized("the evidence repository was empty: added its first commit");
      }
      throw error;
    }
    const data = await this.client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
      ...this.repoParams(),
      commit_sha: commit,
    });
    return { commit, tree: (data.data as { tree: { sha: string } }).tree.sha };
  }

  /**
   * GitHub's Git Data API refuses to write objects into a repository with no commits; the contents
   * API can make the first one. It adds a README to the evidence folder, never a record.
   */
  private async initialize(): Promise<void> {
    try {
      await this.client.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        ...this.repoParams(),
        path: `${this.evidencePath}/README.md`,
        message: "evidence: start the evidence folder",
        content: Buffer.from(README, "utf8").toString("base64"),
        branch: this.branch,
        ...(this.options.committer
          ? { committer: this.options.committer, author: this.options.committer }
          : {}),
      });
    } catch (error) {
      // Another writer made the first commit at the same moment: fine.
      const status = statusOf(error);
      if (status !== 409 && status !== 422) throw error;
    }
  }

  private async exists(path: string, commit: string): Promise<boolean> {
    try {
      await this.client.request("GET /repos/{owner}/{repo}/contents/{path}", {
        ...this.repoParams(),
        path,
        ref: commit,
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  private async readHead(commit: string): Promise<ChainHead | undefined> {
    const headPath = chainHeadPath(this.evidencePath);
    const text = await this.readText(headPath, commit);
    if (text === undefined) return undefined;
    const read = parseChainHead(text);
    if (!read.ok)
      throw new EvidenceStoreError(
        `could not store evidence in ${this.where}: ${headPath} at ${commit} cannot be read (${read.problem}); restore it from the git history before more evidence is written`,
        headPath,
        1,
      );
    return read.head;
  }

  /**
   * The index files the batch changes, each once with all its rows. Files the store has not seen
   * at this tip yet are read (a handful, at once); the others come from memory.
   */
  private async indexUpdates(batch: BatchPlan, state: BranchState): Promise<IndexFile[]> {
    if (this.options.indexes === false) return [];
    await this.loadIndexes(batchIndexPaths(batch.plans, this.evidencePath), state);
    return batchIndexUpdates(batch.plans, this.evidencePath, state.indexes);
  }

  /** Reads the index files not known at the tip yet into the state. */
  private async loadIndexes(paths: readonly string[], state: BranchState): Promise<void> {
    const missing = paths.filter((p) => !state.indexes.has(p));
    const tip = state.tip;
    const texts = tip
      ? await inParallel(missing, READ_CONCURRENCY, (p) => this.readText(p, tip.commit))
      : missing.map(() => undefined);
    missing.forEach((path, n) => state.indexes.set(path, texts[n]));
  }

  /** A file's text at a commit; undefined when there is no such file. */
  private async readText(path: string, commit: string): Promise<string | undefined> {
    let data: { content?: string; encoding?: string; sha?: string; size?: number };
    try {
      const response = await this.client.request("GET /repos/{owner}/{repo}/contents/{path}", {
        ...this.repoParams(),
        path,
        ref: commit,
      });
      data = response.data as typeof data;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    if (data.encoding === "base64" && typeof data.content === "string")
      return Buffer.from(data.content, "base64").toString("utf8");
    // Files over 1 MB come without their content: read the blob instead.
    if (typeof data.sha !== "string") return undefined;
    const blob = await this.client.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      ...this.repoParams(),
      file_sha: data.sha,
    });
    const { content, encoding } = blob.data as { content: string; encoding: string };
    return Buffer.from(content, encoding === "base64" ? "base64" : "utf8").toString("utf8");
  }

  /**
   * The batch's files in one commit, moved onto the branch only as a fast forward. The files go
   * into tree requests inline (GitHub writes the blobs), so a batch costs one tree request (more
   * only when it is larger than maxRequestBytes), one commit and one ref update.
   */
  private async commit(batch: BatchPlan, files: IndexFile[], tip: Tip | undefined): Promise<Tip> {
    const entries = files.map((f) => ({
      path: f.path,
      mode: "100644" as const,
      type: "blob" as const,
      content: f.text,
    }));
    let tree = tip?.tree;
    let sha: string;
    try {
      for (const part of splitTreeEntries(entries, this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES)) {
        const created = await this.client.request("POST /repos/{owner}/{repo}/git/trees", {
          ...this.repoParams(),
          ...(tree ? { base_tree: tree } : {}),
          tree: part,
        });
        tree = (created.data as { sha: string }).sha;
      }
      const created = await this.client.request("POST /repos/{owner}/{repo}/git/commits", {
        ...this.repoParams(),
        message: batchCommitMessage(batch.plans),
        tree,
        parents: tip ? [tip.commit] : [],
        ...(this.options.committer
          ? { author: this.options.committer, committer: this.options.committer }
          : {}),
      });
      sha = (created.data as { sha: string }).sha;
    } catch (error) {
      // 422 "base_tree is not a valid tree oid" / "Parent SHA does not exist": the tip the store
      // was handed (a writer lock's row, say, left by another repository of the same name) is not
      // in this repository. Read the branch itself and try again.
      if (statusOf(error) !== 422) throw error;
      this.state = undefined;
      throw new RefConflict(`the tip known for ${this.branch} is not in the repository`, 422);
    }
    try {
      if (tip)
        await this.client.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
          ...this.repoParams(),
          ref: `heads/${this.branch}`,
          sha,
          force: false,
        });
      else
        await this.client.request("POST /repos/{owner}/{repo}/git/refs", {
          ...this.repoParams(),
          ref: `refs/heads/${this.branch}`,
          sha,
        });
    } catch (error) {
      // Whatever went wrong, the branch may not be where the store thinks: read it next time.
      this.state = undefined;
      const status = statusOf(error);
      // 422 "Update is not a fast forward" / "Reference already exists", or 409: another writer
      // moved the branch first.
      if (status === 409 || status === 422)
        throw new RefConflict(`the branch ${this.branch} moved while the records were being written`, status);
      throw error;
    }
    return { commit: sha, tree: tree! };
  }

  private repoParams() {
    return { owner: this.owner, repo: this.repo };
  }
}
