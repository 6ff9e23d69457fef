import { diffTrees } from "../git/diff.js";
import { history, mergeBase, touches } from "../git/history.js";
import type { CommitObject } from "../git/store.js";
import { HttpError, notFound } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import { diffEntry, restCommit } from "../serialize/commits.js";
import type { StandInState } from "../state/state.js";
import { assertNotEmpty, commitAt, repoOf } from "./common.js";

function byPerson(state: StandInState, who: string, id: number | null, email: string): boolean {
  const wanted = who.toLowerCase();
  const login = id === null ? undefined : state.accounts.get(id)?.login.toLowerCase();
  return login === wanted || email.toLowerCase() === wanted;
}

/** Commit history, single commits and comparisons. */
export const commitRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      assertNotEmpty(repo);
      const start = commitAt(repo, req.query.sha ?? repo.defaultBranch);
      const { path, author, committer, since, until } = req.query;
      const commits = history(repo.git, start.sha).filter(
        (c) =>
          (path === undefined || touches(repo.git, c, path.replace(/^\/+|\/+$/g, ""))) &&
          (author === undefined || byPerson(state, author, c.authorId, c.author.email)) &&
          (committer === undefined ||
            byPerson(state, committer, c.committerId, c.committer.email)) &&
          (since === undefined || Date.parse(c.committer.date) >= Date.parse(since)) &&
          (until === undefined || Date.parse(c.committer.date) <= Date.parse(until)),
      );
      const page = paginate(req, commits);
      return { body: page.items.map((c) => restCommit(req.ctx, repo, c)), headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      assertNotEmpty(repo);
      const ref = req.params.ref as string;
      const commit = commitAt(
        repo,
        ref,
        () => new HttpError(422, `No commit found for SHA: ${ref}`),
      );
      const parent = commit.parents[0] ? repo.git.commits.get(commit.parents[0]) : undefined;
      const files = diffTrees(repo.git, parent?.tree, commit.tree);
      return { body: restCommit(req.ctx, repo, commit, files) };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/compare/{basehead}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const [baseRef, headRef] = (req.params.basehead as string).split(/\.{2,3}/);
      if (!baseRef || !headRef) throw notFound();
      const base = commitAt(repo, baseRef);
      const head = commitAt(repo, headRef);
      const baseSha = mergeBase(repo.git, base.sha, head.sha);
      if (!baseSha) throw notFound(`No common ancestor between ${baseRef} and ${headRef}.`);
      const fromBase = repo.git.ancestors(base.sha);
      const fromHead = repo.git.ancestors(head.sha);
      const ahead = history(repo.git, head.sha)
        .filter((c) => !fromBase.has(c.sha))
        .reverse();
      const behindBy = [...fromBase].filter((sha) => !fromHead.has(sha)).length;
      const status =
        ahead.length === 0 && behindBy === 0
          ? "identical"
          : behindBy === 0
            ? "ahead"
            : ahead.length === 0
              ? "behind"
              : "diverged";
      const mergeBaseCommit = repo.git.commits.get(baseSha) as CommitObject;
      const files = diffTrees(repo.git, mergeBaseCommit.tree, head.tree);
      const page = paginate(req, ahead.slice(0, 250));
      const api = `${req.ctx.api}/repos/${repo.fullName}`;
      const html = `${req.ctx.web}/${repo.fullName}`;
      const basehead = `${baseRef}...${headRef}`;
      return {
        headers: page.headers,
        body: {
          url: `${api}/compare/${basehead}`,
          html_url: `${html}/compare/${basehead}`,
          permalink_url: `${html}/compare/${repo.owner.login}:${base.sha.slice(0, 7)}...${repo.owner.login}:${head.sha.slice(0, 7)}`,
          diff_url: `${html}/compare/${basehead}.diff`,
          patch_url: `${html}/compare/${basehead}.patch`,
          base_commit: restCommit(req.ctx, repo, base),
          merge_base_commit: restCommit(req.ctx, repo, mergeBaseCommit),
          status,
          ahead_by: ahead.length,
          behind_by: behindBy,
          total_commits: ahead.length,
          commits: page.items.map((c) => restCommit(req.ctx, repo, c)),
          files: files.map((f) => diffEntry(req.ctx, repo, head.sha, f)),
        },
      };
    },
  },
];
