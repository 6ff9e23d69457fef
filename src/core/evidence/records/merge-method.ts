import { list, obj, str } from "./payload.js";

/** How a pull request reached its base branch, as records name it. */
export type MergeMethod = "merge" | "squash" | "rebase" | "push" | "unknown";

export interface CommitShape {
  sha: string;
  parents: string[];
  /** The commit's author date (git keeps it through a rebase). */
  authorDate: string;
  message: string;
}

/**
 * GitHub's pull_request.closed event does not say how a pull request was merged, so the method
 * is read from the merge commit and the pull request's commits:
 * - the merge commit is the head itself: the head was pushed to the base (a fast-forward), "push";
 * - it has two or more parents: a merge commit, "merge";
 * - it has one parent and keeps the head commit's author date and message: the commits were
 *   replayed, "rebase"; otherwise they were combined into a new commit, "squash";
 * - anything missing: "unknown", rather than a guess.
 */
export function inferMergeMethod(input: {
  mergeSha: string | undefined;
  headSha: string;
  mergeCommit: CommitShape | undefined;
  /** The pull request's commits, oldest first, as the API lists them. */
  commits: readonly CommitShape[];
}): MergeMethod {
  const { mergeSha, headSha, mergeCommit, commits } = input;
  if (!mergeSha) return "unknown";
  if (mergeSha === headSha) return "push";
  if (!mergeCommit || mergeCommit.sha !== mergeSha) return "unknown";
  if (mergeCommit.parents.length >= 2) return "merge";
  if (mergeCommit.parents.length !== 1) return "unknown";
  const head = commits.find((c) => c.sha === headSha) ?? commits.at(-1);
  if (!head || !head.authorDate || !mergeCommit.authorDate) return "unknown";
  const sameAuthorship =
    Date.parse(head.authorDate) === Date.parse(mergeCommit.authorDate) &&
    head.message.trim() === mergeCommit.message.trim();
  return sameAuthorship ? "rebase" : "squash";
}

/** A commit as the REST API answers it (GET …/commits/{ref}, …/pulls/{n}/commits). */
export function commitShapeOf(value: unknown): CommitShape {
  const c = obj(value);
  const git = obj(c.commit);
  return {
    sha: str(c.sha),
    parents: list(c.parents).map((p) => str(obj(p).sha)),
    authorDate: str(obj(git.author).date),
    message: str(git.message),
  };
}
