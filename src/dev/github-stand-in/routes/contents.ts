import { editTree } from "../git/tree-edit.js";
import { HttpError, notFound } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { gitCommit } from "../serialize/commits.js";
import { contentEntry, contentFile } from "../serialize/contents.js";
import { apiSignatures } from "./authorship.js";
import { commitAt, objectBody, repoOf, stringField } from "./common.js";

const cleanPath = (path: string) => path.replace(/^\/+|\/+$/g, "");

/** The contents API: read a file or directory at a ref; create or update a file on a branch. */
export const contentRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/contents/{path}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      if (repo.git.isEmpty()) throw notFound("This repository is empty.");
      const ref = req.query.ref ?? repo.defaultBranch;
      const commit = commitAt(repo, ref, () => notFound(`No commit found for the ref ${ref}`));
      const entry = repo.git.lookup(commit.tree, cleanPath(req.params.path as string));
      if (!entry || entry.path === "") throw notFound();
      if (entry.type === "blob") return { body: contentFile(req.ctx, repo, ref, entry) };
      const listing = repo.git
        .walk(entry.sha, entry.path)
        .filter((e) => !e.path.slice(entry.path.length + 1).includes("/"));
      return { body: listing.map((e) => contentEntry(req.ctx, repo, ref, e)) };
    },
  },
  {
    method: "PUT",
    template: "/repos/{owner}/{repo}/contents/{path}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = objectBody(req);
      const path = cleanPath(req.params.path as string);
      const message = stringField(body, "message") as string;
      const content = stringField(body, "content") as string;
      const expected = stringField(body, "sha", false);
      const branch = stringField(body, "branch", false) ?? repo.defaultBranch;
      const parent = repo.branchSha(branch);
      if (!parent && !repo.git.isEmpty()) throw notFound(`Branch ${branch} not found`);
      const base = parent ? repo.git.commits.get(parent)?.tree : undefined;
      const existing = base ? repo.git.lookup(base, path) : undefined;
      if (existing?.type === "blob" && expected === undefined) {
        throw new HttpError(422, `Invalid request.\n\n"sha" wasn't supplied.`);
      }
      if (existing?.type === "blob" && expected !== existing.sha) {
        throw new HttpError(409, `${path} does not match ${expected}`);
      }
      if (existing && existing.type !== "blob") throw new HttpError(422, `${path} is a directory`);
      const blob = repo.git.writeBlob(Buffer.from(content, "base64"));
      const tree = editTree(repo.git, base, [{ path, mode: "100644", type: "blob", sha: blob }]);
      const { author, committer, verification } = apiSignatures(req, state, repo, body, "contents");
      const commit = repo.git.writeCommit(
        {
          tree,
          parents: parent ? [parent] : [],
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
      // No await between reading the branch and moving it: each request is atomic.
      repo.git.refs.set(`refs/heads/${branch}`, commit.sha);
      const entry = repo.git.lookup(tree, path);
      return {
        status: existing ? 200 : 201,
        body: {
          content: entry ? contentEntry(req.ctx, repo, branch, entry) : null,
          commit: gitCommit(req.ctx, repo, commit),
        },
      };
    },
  },
];
