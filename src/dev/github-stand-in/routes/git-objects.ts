import type { TreeEntry } from "../git/objects.js";
import { editTree, type TreeEdit } from "../git/tree-edit.js";
import { notFound, unprocessable } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { gitCommit } from "../serialize/commits.js";
import { wrappedBase64 } from "../serialize/contents.js";
import { nodeId } from "../serialize/context.js";
import { gitTree } from "../serialize/git.js";
import type { RepositoryState } from "../state/repository.js";
import { apiSignatures } from "./authorship.js";
import { objectBody, repoOf, stringField } from "./common.js";

const MODES: Record<string, TreeEntry["type"]> = {
  "100644": "blob",
  "100755": "blob",
  "120000": "blob",
  "040000": "tree",
  "160000": "commit",
};

function treeEdits(repo: RepositoryState, entries: unknown): TreeEdit[] {
  if (!Array.isArray(entries)) throw unprocessable(`Invalid request.\n\n"tree" wasn't supplied.`);
  return entries.map((raw, index) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const where = `tree.${index}`;
    if (typeof e.path !== "string" || e.path === "") throw unprocessable(`Invalid ${where}.path`);
    const mode = typeof e.mode === "string" ? e.mode : "";
    const type = MODES[mode];
    if (!type) throw unprocessable(`Invalid ${where}.mode: ${String(e.mode)}`);
    if (e.type !== undefined && e.type !== type) throw unprocessable(`Invalid ${where}.type`);
    if (e.content !== undefined && e.sha !== undefined) {
      throw unprocessable(`Invalid ${where}: give either sha or content, not both`);
    }
    if (typeof e.content === "string") {
      return { path: e.path, mode, type, sha: repo.git.writeBlob(Buffer.from(e.content, "utf8")) };
    }
    if (e.sha === null) return { path: e.path, mode, type, sha: null };
    if (typeof e.sha !== "string")
      throw unprocessable(`Invalid ${where}: sha or content is required`);
    const known =
      type === "commit" ||
      (type === "blob" ? repo.git.blobs.has(e.sha) : repo.git.trees.has(e.sha));
    if (!known) throw unprocessable(`${where}.sha ${e.sha} is not a valid ${type}`);
    return { path: e.path, mode, type, sha: e.sha };
  });
}

/** Blobs, trees and commits of the Git Data API. */
export const gitObjectRoutes: Route[] = [
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/blobs",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = objectBody(req);
      const content = stringField(body, "content") as string;
      const encoding = stringField(body, "encoding", false) ?? "utf-8";
      if (encoding !== "utf-8" && encoding !== "utf8" && encoding !== "base64") {
        throw unprocessable(`encoding must be "utf-8" or "base64"`);
      }
      const sha = repo.git.writeBlob(
        Buffer.from(content, encoding === "base64" ? "base64" : "utf8"),
      );
      return {
        status: 201,
        body: { sha, url: `${req.ctx.api}/repos/${repo.fullName}/git/blobs/${sha}` },
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/blobs/{file_sha}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const sha = req.params.file_sha as string;
      const blob = repo.git.blobs.get(sha);
      if (!blob) throw notFound();
      return {
        body: {
          sha,
          node_id: nodeId("Blob", sha),
          size: blob.length,
          url: `${req.ctx.api}/repos/${repo.fullName}/git/blobs/${sha}`,
          content: wrappedBase64(blob),
          encoding: "base64",
        },
      };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/trees",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = objectBody(req);
      const baseTree = stringField(body, "base_tree", false);
      if (baseTree !== undefined && !repo.git.trees.has(baseTree)) {
        throw unprocessable(`Invalid request.\n\nbase_tree ${baseTree} is not a valid tree oid.`);
      }
      const sha = editTree(repo.git, baseTree, treeEdits(repo, body.tree));
      return {
        status: 201,
        body: gitTree(
          req.ctx,
          repo,
          sha,
          repo.git.walk(sha).filter((e) => !e.path.includes("/")),
        ),
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/trees/{tree_sha}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const ref = req.params.tree_sha as string;
      const commitSha = repo.git.resolve(ref);
      const sha = repo.git.trees.has(ref)
        ? ref
        : commitSha && repo.git.commits.get(commitSha)?.tree;
      if (!sha) throw notFound();
      // GitHub: any value of `recursive` (even "0" or "false") asks for the whole tree.
      const all = repo.git.walk(sha);
      const entries =
        req.query.recursive === undefined ? all.filter((e) => !e.path.includes("/")) : all;
      return { body: gitTree(req.ctx, repo, sha, entries) };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/commits",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = objectBody(req);
      const message = stringField(body, "message") as string;
      const tree = stringField(body, "tree") as string;
      if (!repo.git.trees.has(tree)) throw unprocessable("Tree SHA does not exist");
      const parents = body.parents ?? [];
      if (
        !Array.isArray(parents) ||
        parents.some((p) => typeof p !== "string" || !repo.git.commits.has(p))
      ) {
        throw unprocessable("Parent SHA does not exist or is not a commit object");
      }
      const { author, committer, verification } = apiSignatures(req, state, repo, body, "git");
      const commit = repo.git.writeCommit(
        {
          tree,
          parents: parents as string[],
          author: author.signature,
          committer: committer.signature,
          message,
        },
        {
          authorId: author.accountId,
          committerId: committer.accountId,
          ...(verification ? { verification } : {}),
        },
      );
      return { status: 201, body: gitCommit(req.ctx, repo, commit) };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/commits/{commit_sha}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const commit = repo.git.commits.get(req.params.commit_sha as string);
      if (!commit) throw notFound();
      return { body: gitCommit(req.ctx, repo, commit) };
    },
  },
];
