import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import { diffEntry, restCommit } from "../serialize/commits.js";
import { pullRequest, pullRequestSimple, review } from "../serialize/pulls.js";
import { timelineEvent } from "../serialize/timeline.js";
import { assertNotEmpty, pullOf, repoOf } from "./common.js";

// GitHub's limits: a pull request's commit list stops at 250, its file list at 3000.
export const PULL_COMMITS_LIMIT = 250;
export const PULL_FILES_LIMIT = 3000;

/** Pull requests: the pull request, its reviews, commits, files, timeline, and commit → pulls. */
export const pullRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}",
    handler: (req, state) => ({ body: pullRequest(req.ctx, pullOf(req, state)) }),
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    handler: (req, state) => {
      const pr = pullOf(req, state);
      const page = paginate(req, pr.reviews);
      return { body: page.items.map((r) => review(req.ctx, pr, r)), headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
    handler: (req, state) => {
      const pr = pullOf(req, state);
      const shas = pr.commitShas.slice(0, PULL_COMMITS_LIMIT);
      const page = paginate(req, shas);
      const body = page.items.flatMap((sha) => {
        const commit = pr.repo.git.commits.get(sha);
        return commit ? [restCommit(req.ctx, pr.repo, commit)] : [];
      });
      return { body, headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
    handler: (req, state) => {
      const pr = pullOf(req, state);
      const page = paginate(req, pr.files().slice(0, PULL_FILES_LIMIT));
      return {
        body: page.items.map((f) => diffEntry(req.ctx, pr.repo, pr.headSha, f)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/timeline",
    handler: (req, state) => {
      const pr = pullOf(req, state, "issue_number");
      const excluded = new Set((req.query.exclude ?? "").split(",").map((s) => s.trim()));
      const events = pr.timeline
        .map((record) => timelineEvent(req.ctx, pr, record))
        .filter((e): e is Record<string, unknown> => e !== undefined)
        .filter((e) => !excluded.has(String(e.event)));
      const page = paginate(req, events);
      return { body: page.items, headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      assertNotEmpty(repo);
      const sha = repo.git.resolve(req.params.commit_sha as string) ?? req.params.commit_sha;
      const pulls = repo.unindexedCommits.has(sha as string)
        ? []
        : [...repo.pulls.values()].filter((pr) => pr.associatedShas().has(sha as string));
      const page = paginate(req, pulls);
      return {
        body: page.items.map((pr) => pullRequestSimple(req.ctx, pr)),
        headers: page.headers,
      };
    },
  },
];
