import type { GitSignature } from "../git/objects.js";
import { verifiedByGitHub, type CommitObject } from "../git/store.js";
import { carryChanges } from "../git/tree-edit.js";
import type { PullRequestState } from "./pull-request.js";
import type { Account } from "./types.js";

export type MergeMethod = "merge" | "squash" | "rebase";

/** What a merge put on the base branch: its new head, and every commit it created. */
export interface Landing {
  sha: string;
  created: string[];
}

/**
 * Lands a pull request like GitHub's merge button: its changes (base SHA → head) go on top of the
 * base branch's current head as a merge commit, one squashed commit, or rebased copies of each
 * commit. GitHub commits as "web-flow" and signs what it commits.
 */
export function landPullRequest(
  pr: PullRequestState,
  by: Account,
  method: MergeMethod,
  at: string,
  message?: string,
): Landing {
  const repo = pr.repo;
  const store = repo.git;
  const baseHead = repo.branchSha(pr.baseRef);
  if (!baseHead) throw new Error(`base branch ${pr.baseRef} is gone`);
  const tree = (sha: string | undefined) => (sha ? store.commits.get(sha)?.tree : undefined);
  const webFlow =
    repo.state.findAccount("web-flow") ??
    repo.state.addUser({ login: "web-flow", name: "GitHub", email: "noreply@github.com" });
  const committer = repo.signature(webFlow, at);
  const write = (
    parents: string[],
    treeSha: string,
    author: { signature: GitSignature; accountId: number | null },
    text: string,
  ): CommitObject =>
    store.writeCommit(
      {
        tree: treeSha,
        parents,
        author: author.signature,
        committer: committer.signature,
        message: text,
      },
      {
        authorId: author.accountId,
        committerId: committer.accountId,
        verification: verifiedByGitHub(at),
      },
    );

  if (method === "rebase") {
    const created: string[] = [];
    let parent = baseHead;
    for (const sha of pr.commitShas) {
      const original = store.commits.get(sha) as CommitObject;
      const landed = carryChanges(store, tree(original.parents[0]), original.tree, tree(parent));
      const author = { signature: original.author, accountId: original.authorId };
      parent = write([parent], landed, author, original.message).sha;
      created.push(parent);
    }
    return { sha: parent, created };
  }
  const landed = carryChanges(store, tree(pr.baseSha), tree(pr.headSha), tree(baseHead));
  const commit =
    method === "squash"
      ? write(
          [baseHead],
          landed,
          repo.signature(pr.author, at),
          message ?? `${pr.title} (#${pr.number})`,
        )
      : write(
          [baseHead, pr.headSha],
          landed,
          repo.signature(by, at),
          message ??
            `Merge pull request #${pr.number} from ${pr.headRepository.owner.login}/${pr.headRef}`,
        );
  return { sha: commit.sha, created: [commit.sha] };
}
