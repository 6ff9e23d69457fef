import { HttpError } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import { pullRequestSimple } from "../serialize/pulls.js";
import type { PullRequestState } from "../state/pull-request.js";
import { repoOf } from "./common.js";

const SORTS: Record<string, (pr: PullRequestState) => string> = {
  created: (pr) => pr.createdAt,
  updated: (pr) => pr.updatedAt,
};

/**
 * GET /repos/{owner}/{repo}/pulls: the pull requests of a repository, filtered by state, base
 * and head (owner:branch), sorted by created or updated time, paged by page number like GitHub.
 * (GitHub also sorts by popularity and long-running; the stand-in refuses those.)
 */
export const pullListRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const { state: wanted = "open", base, head, sort = "created", direction } = req.query;
      if (!["open", "closed", "all"].includes(wanted)) throw invalid("state", wanted);
      const key = SORTS[sort];
      if (!key) throw invalid("sort", sort);
      const order = direction ?? "desc";
      if (order !== "asc" && order !== "desc") throw invalid("direction", order);
      const pulls = [...repo.pulls.values()]
        .filter((pr) => wanted === "all" || pr.state === wanted)
        .filter((pr) => base === undefined || pr.baseRef === base)
        .filter(
          (pr) => head === undefined || `${pr.headRepository.owner.login}:${pr.headRef}` === head,
        )
        .sort(
          (a, b) =>
            (order === "asc" ? 1 : -1) * (key(a).localeCompare(key(b)) || a.number - b.number),
        );
      const page = paginate(req, pulls);
      return {
        body: page.items.map((pr) => pullRequestSimple(req.ctx, pr)),
        headers: page.headers,
      };
    },
  },
];

function invalid(field: string, value: string): HttpError {
  return new HttpError(422, `Invalid value for parameter '${field}': ${JSON.stringify(value)}`);
}
