import { HttpError, notFound, unprocessable } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { gitRef } from "../serialize/git.js";
import { objectBody, repoOf, stringField } from "./common.js";

// "heads/main" or "refs/heads/main" → "refs/heads/main".
const fullRef = (ref: string) => (ref.startsWith("refs/") ? ref : `refs/${ref}`);

/** References of the Git Data API: read, create, and move (fast-forward unless forced). */
export const gitRefRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/git/ref/{ref}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      if (repo.git.isEmpty()) throw new HttpError(409, "Git Repository is empty.");
      const ref = fullRef(req.params.ref as string);
      const sha = repo.git.refs.get(ref);
      if (!sha) throw notFound();
      return { body: gitRef(req.ctx, repo, ref, sha) };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/git/refs",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = objectBody(req);
      const ref = stringField(body, "ref") as string;
      const sha = stringField(body, "sha") as string;
      if (!/^refs\/[^/]+\/.+/.test(ref)) throw unprocessable("Reference name is invalid");
      if (!repo.git.commits.has(sha)) throw unprocessable("Object does not exist");
      if (repo.git.refs.has(ref)) throw unprocessable("Reference already exists");
      repo.git.refs.set(ref, sha);
      return { status: 201, body: gitRef(req.ctx, repo, ref, sha) };
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/git/refs/{ref}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = objectBody(req);
      const sha = stringField(body, "sha") as string;
      const force = body.force === true;
      const ref = fullRef(req.params.ref as string);
      // Read and write with no await in between: concurrent updates are serialized.
      const current = repo.git.refs.get(ref);
      if (!current) throw unprocessable("Reference does not exist");
      if (!repo.git.commits.has(sha)) throw unprocessable("Object does not exist");
      if (!force && !repo.git.isAncestor(current, sha)) {
        throw unprocessable("Update is not a fast forward");
      }
      repo.git.refs.set(ref, sha);
      return { body: gitRef(req.ctx, repo, ref, sha) };
    },
  },
];
