import type { PathEntry } from "../git/store.js";
import type { RepositoryState } from "../state/repository.js";
import type { SerializeContext } from "./context.js";

/** Base64 with a newline every 60 characters, the way GitHub sends file content. */
export function wrappedBase64(content: Buffer): string {
  return (content.toString("base64").match(/.{1,60}/g) ?? []).map((l) => `${l}\n`).join("");
}

const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** A directory entry or file as the contents API describes it (without the content itself). */
export function contentEntry(
  ctx: SerializeContext,
  repo: RepositoryState,
  ref: string,
  entry: PathEntry,
): Record<string, unknown> {
  const isFile = entry.type === "blob";
  const path = encodePath(entry.path);
  const self = `${ctx.api}/repos/${repo.fullName}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = `${ctx.api}/repos/${repo.fullName}/git/${isFile ? "blobs" : "trees"}/${entry.sha}`;
  const html = `${ctx.web}/${repo.fullName}/${isFile ? "blob" : "tree"}/${ref}/${path}`;
  return {
    type: entry.type === "blob" ? "file" : entry.type === "tree" ? "dir" : "submodule",
    size: isFile ? (repo.git.blobs.get(entry.sha)?.length ?? 0) : 0,
    name: entry.path.split("/").pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: isFile ? `${ctx.web}/${repo.fullName}/raw/${ref}/${path}` : null,
    _links: { self, git, html },
  };
}

/** A file with its base64 content (`content-file`). */
export function contentFile(
  ctx: SerializeContext,
  repo: RepositoryState,
  ref: string,
  entry: PathEntry,
): Record<string, unknown> {
  const blob = repo.git.blobs.get(entry.sha) ?? Buffer.alloc(0);
  return {
    ...contentEntry(ctx, repo, ref, entry),
    content: wrappedBase64(blob),
    encoding: "base64",
  };
}
