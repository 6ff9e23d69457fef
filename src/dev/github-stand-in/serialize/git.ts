import type { PathEntry } from "../git/store.js";
import type { RepositoryState } from "../state/repository.js";
import { nodeId, type SerializeContext } from "./context.js";

/** A ref as `git-ref`. `ref` is the full name ("refs/heads/main"). */
export function gitRef(
  ctx: SerializeContext,
  repo: RepositoryState,
  ref: string,
  sha: string,
): Record<string, unknown> {
  const api = `${ctx.api}/repos/${repo.fullName}/git`;
  return {
    ref,
    node_id: nodeId("Ref", `${repo.id}:${ref}`),
    url: `${api}/${ref}`,
    object: { type: "commit", sha, url: `${api}/commits/${sha}` },
  };
}

/** A tree as `git-tree`; `entries` are direct children, or everything below when recursive. */
export function gitTree(
  ctx: SerializeContext,
  repo: RepositoryState,
  sha: string,
  entries: readonly PathEntry[],
): Record<string, unknown> {
  const api = `${ctx.api}/repos/${repo.fullName}/git`;
  return {
    sha,
    url: `${api}/trees/${sha}`,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === "blob" ? { size: repo.git.blobs.get(e.sha)?.length ?? 0 } : {}),
      url: `${api}/${e.type === "blob" ? "blobs" : e.type === "tree" ? "trees" : "commits"}/${e.sha}`,
    })),
    truncated: false,
  };
}
