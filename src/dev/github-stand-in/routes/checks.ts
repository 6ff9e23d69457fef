import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import { checkRun, combinedState, commitStatus } from "../serialize/checks.js";
import { serializeRepository } from "../serialize/repositories.js";
import type { CheckRunRecord, StatusRecord } from "../state/types.js";
import { assertNotEmpty, commitAt, repoOf } from "./common.js";

// The newest record of each name, as GitHub's filter=latest and combined status keep.
export function latestBy<T>(records: readonly T[], key: (r: T) => string): T[] {
  const latest = new Map<string, T>();
  for (const r of records) latest.set(key(r), r);
  return [...latest.values()];
}

/** Check runs and the combined commit status of a ref. */
export const checkRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      assertNotEmpty(repo);
      const sha = commitAt(repo, req.params.ref as string).sha;
      const { check_name, status, filter, app_id } = req.query;
      let runs: CheckRunRecord[] = repo.checkRuns.filter(
        (r) =>
          r.headSha === sha &&
          (check_name === undefined || r.name === check_name) &&
          (status === undefined || r.status === status) &&
          (app_id === undefined || String(r.app.id) === app_id),
      );
      if (filter !== "all") runs = latestBy(runs, (r) => `${r.app.id}/${r.name}`);
      runs = [...runs].reverse();
      const page = paginate(req, runs);
      return {
        body: {
          total_count: runs.length,
          check_runs: page.items.map((r) => checkRun(req.ctx, repo, r)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}/status",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      assertNotEmpty(repo);
      const sha = commitAt(repo, req.params.ref as string).sha;
      const statuses: StatusRecord[] = latestBy(
        repo.statuses.filter((s) => s.sha === sha),
        (s) => s.context,
      ).reverse();
      const page = paginate(req, statuses);
      const api = `${req.ctx.api}/repos/${repo.fullName}`;
      return {
        body: {
          state: combinedState(statuses),
          statuses: page.items.map((s) => commitStatus(req.ctx, repo, s)),
          sha,
          total_count: statuses.length,
          repository: serializeRepository(req.ctx, repo),
          commit_url: `${api}/commits/${sha}`,
          url: `${api}/commits/${sha}/status`,
        },
        headers: page.headers,
      };
    },
  },
];
