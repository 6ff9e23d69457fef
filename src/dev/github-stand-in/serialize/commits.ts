import type { FileChange } from "../git/diff.js";
import type { CommitObject } from "../git/store.js";
import type { RepositoryState } from "../state/repository.js";
import { nodeId, type SerializeContext } from "./context.js";
import { userOrNull } from "./users.js";

/** A commit as the Git Data API returns it (`git-commit`). */
export function gitCommit(
  ctx: SerializeContext,
  repo: RepositoryState,
  commit: CommitObject,
): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}`;
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${url}/git/commits/${commit.sha}`,
    html_url: `${ctx.web}/${repo.fullName}/commit/${commit.sha}`,
    author: { ...commit.author },
    committer: { ...commit.committer },
    tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${url}/git/commits/${sha}`,
      html_url: `${ctx.web}/${repo.fullName}/commit/${sha}`,
    })),
    verification: { ...commit.verification },
  };
}

/** A changed file as GitHub's `diff-entry`. */
export function diffEntry(
  ctx: SerializeContext,
  repo: RepositoryState,
  ref: string,
  change: FileChange,
): Record<string, unknown> {
  const path = change.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: change.sha,
    filename: change.filename,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.changes,
    blob_url: `${ctx.web}/${repo.fullName}/blob/${ref}/${path}`,
    raw_url: `${ctx.web}/${repo.fullName}/raw/${ref}/${path}`,
    contents_url: `${ctx.api}/repos/${repo.fullName}/contents/${path}?ref=${ref}`,
    ...(change.previous_filename ? { previous_filename: change.previous_filename } : {}),
  };
}

/** A commit as the REST commits endpoints return it (`commit`), optionally with its files. */
export function restCommit(
  ctx: SerializeContext,
  repo: RepositoryState,
  commit: CommitObject,
  files?: FileChange[],
): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}`;
  const html = `${ctx.web}/${repo.fullName}`;
  const out: Record<string, unknown> = {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    commit: {
      author: { ...commit.author },
      committer: { ...commit.committer },
      message: commit.message,
      tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
      url: `${url}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: { ...commit.verification },
    },
    url: `${url}/commits/${commit.sha}`,
    html_url: `${html}/commit/${commit.sha}`,
    comments_url: `${url}/commits/${commit.sha}/comments`,
    author: userOrNull(ctx, commit.authorId),
    committer: userOrNull(ctx, commit.committerId),
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${url}/commits/${sha}`,
      html_url: `${html}/commit/${sha}`,
    })),
  };
  if (files) {
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    out.stats = { total: additions + deletions, additions, deletions };
    out.files = files.map((f) => diffEntry(ctx, repo, commit.sha, f));
  }
  return out;
}
