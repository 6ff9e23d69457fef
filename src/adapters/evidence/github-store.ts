import { chainHeadPath } from "../../core/evidence/record-path.js";
import { parseChainHead, type ChainHead } from "../../core/evidence/chain-head.js";
import { planAppend, type AppendPlan } from "../../core/evidence/append-plan.js";
import {
  appendEntry,
  indexFilesFor,
  updateIndexes,
  type IndexFile,
} from "../../core/evidence/indexes.js";
import type {
  AppendResult,
  EvidenceStore,
  PendingRecord,
} from "../../core/evidence/pending-record.js";
import { statusOf, type GitHubClient } from "../github/client.js";
import { commitMessage, isoSeconds } from "./commit-message.js";
import { checkedRecordPath, EvidenceRecordError, EvidenceStoreError } from "./errors.js";
import { classifyGitHubFailure, RefConflict, RepositoryInitialized } from "./github-retry.js";
import { retryPolicy, SerialQueue, withRetries, type RetryOptions, type RetryPolicy } from "./retry.js";

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
   * also adds the record's row to them. Default true.
   */
  indexes?: boolean;
}

interface Tip {
  commit: string;
  tree: string;
}

const README = `# Evidence

Evidence records written by soc2-as-code. Records are append-only: never edit or delete one.
Each record carries a digest of its content and a link (chain) to the record before it;
chain-head.json names the last. \`soc2 validate\` and \`soc2 verify\` check them.
`;

/**
 * Writes evidence records to a GitHub repository through the Git Data API: one commit per record,
 * holding the record and the updated chain-head.json, moved onto the branch only as a fast forward.
 * A writer that loses the race re-reads the branch and tries again on the new tip, so concurrent
 * writers (replicas, redeliveries) never lose a record nor write one twice.
 */
export class GitHubEvidenceStore implements EvidenceStore {
  private readonly owner: string;
  private readonly repo: string;
  private readonly branch: string;
  private readonly evidencePath: string;
  private readonly policy: RetryPolicy;
  private readonly queue = new SerialQueue();

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
  }

  /** Appends one record; appends through the same store run one at a time. */
  append(record: PendingRecord): Promise<AppendResult> {
    return this.queue.run(() => this.appendNow(record));
  }

  private async appendNow(record: PendingRecord): Promise<AppendResult> {
    const path = checkedRecordPath(this.evidencePath, record.id);
    return withRetries(
      this.policy,
      { path, where: `${this.options.repository}@${this.branch}` },
      () => this.attempt(record, path),
      (error) => classifyGitHubFailure(error, this.policy.now()),
    );
  }

  private async attempt(record: PendingRecord, path: string): Promise<AppendResult> {
    const tip = await this.readTip();
    if (tip && (await this.exists(path, tip.commit))) return { status: "exists", path };
    const head = tip ? await this.readHead(tip.commit, path) : undefined;
    const planned = planAppend({
      record,
      head,
      evidencePath: this.evidencePath,
      recordedAt: isoSeconds(this.policy.now()),
    });
    if (!planned.ok) throw new EvidenceRecordError(path, planned.problems);
    const indexes = await this.indexUpdates(planned.plan, tip);
    const commit = await this.commit(planned.plan, tip, indexes);
    return { status: "written", path, commit, sequence: planned.plan.head.sequence };
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

  private async readHead(commit: string, path: string): Promise<ChainHead | undefined> {
    const headPath = chainHeadPath(this.evidencePath);
    let data: { content?: string; encoding?: string };
    try {
      const response = await this.client.request("GET /repos/{owner}/{repo}/contents/{path}", {
        ...this.repoParams(),
        path: headPath,
        ref: commit,
      });
      data = response.data as typeof data;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    const text =
      data.encoding === "base64" && typeof data.content === "string"
        ? Buffer.from(data.content, "base64").toString("utf8")
        : "";
    const read = parseChainHead(text);
    if (!read.ok)
      throw new EvidenceStoreError(
        `could not store evidence record ${path} in ${this.options.repository}@${this.branch}: ${headPath} at ${commit} cannot be read (${read.problem}); restore it from the git history before more evidence is written`,
        path,
        1,
      );
    return read.head;
  }

  /**
   * The index files this record changes (README.md and the indexes of its period, controls and
   * repository), from their text at the tip, so they land in the record's commit.
   */
  private async indexUpdates(plan: AppendPlan, tip: Tip | undefined): Promise<IndexFile[]> {
    if (this.options.indexes === false) return [];
    const read = appendEntry(plan);
    if (!read.ok) return []; // cannot happen for a record planAppend accepted; never block evidence
    const paths = indexFilesFor(read.entry, this.evidencePath);
    // A handful of files (README, period, controls, repository), read at once.
    const texts = tip ? await Promise.all(paths.map((p) => this.readText(p, tip.commit))) : [];
    const existing = new Map(paths.map((path, n) => [path, texts[n]]));
    return updateIndexes({ evidencePath: this.evidencePath, entry: read.entry, existing });
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
   * Record, head and index files in one commit, moved onto the branch only as a fast forward.
   * Index files go into the tree as text, which saves a blob request each.
   */
  private async commit(plan: AppendPlan, tip: Tip | undefined, indexes: IndexFile[]): Promise<string> {
    const blob = async (content: string) =>
      (
        (
          await this.client.request("POST /repos/{owner}/{repo}/git/blobs", {
            ...this.repoParams(),
            content,
            encoding: "utf-8",
          })
        ).data as { sha: string }
      ).sha;
    const [recordBlob, headBlob] = [await blob(plan.text), await blob(plan.headText)];
    const tree = await this.client.request("POST /repos/{owner}/{repo}/git/trees", {
      ...this.repoParams(),
      ...(tip ? { base_tree: tip.tree } : {}),
      tree: [
        { path: plan.path, mode: "100644", type: "blob", sha: recordBlob },
        { path: plan.headPath, mode: "100644", type: "blob", sha: headBlob },
        ...indexes.map((f) => ({ path: f.path, mode: "100644", type: "blob", content: f.text })),
      ],
    });
    const created = await this.client.request("POST /repos/{owner}/{repo}/git/commits", {
      ...this.repoParams(),
      message: commitMessage(plan),
      tree: (tree.data as { sha: string }).sha,
      parents: tip ? [tip.commit] : [],
      ...(this.options.committer
        ? { author: this.options.committer, committer: this.options.committer }
        : {}),
    });
    const sha = (created.data as { sha: string }).sha;
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
      const status = statusOf(error);
      // 422 "Update is not a fast forward" / "Reference already exists", or 409: another writer
      // moved the branch first.
      if (status === 409 || status === 422)
        throw new RefConflict(
          `the branch ${this.branch} moved while the record was being written`,
          status,
        );
      throw error;
    }
    return sha;
  }

  private repoParams() {
    return { owner: this.owner, repo: this.repo };
  }
}
