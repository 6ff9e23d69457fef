import { mergedPullsOfPage, type MergedPull } from "../../core/reconcile/candidates.js";
import type { ReconcileWindow } from "../../core/reconcile/window.js";
import { attempt, type GitHubClient } from "./client.js";

/**
 * Where the reconciler learns which pull requests merged in a repository within a window. One
 * small interface, so the REST listing below can be swapped for another source (GraphQL) without
 * touching the reconciler.
 */
export type MergedPullRequests = (
  repository: string,
  window: ReconcileWindow,
) => Promise<MergedPull[]>;

// The most GitHub serves per page; a repository merging more than 100 a day costs a page a day.
const PER_PAGE = 100;

/**
 * GET /repos/{o}/{r}/pulls?state=closed&sort=updated&direction=desc, paged until a pull request
 * was last updated before the window, keeping those merged within it (into any branch: which
 * branches are protected is the policy's to say, at each merge's base commit). Oldest merge first.
 */
export function restMergedPullRequests(client: GitHubClient): MergedPullRequests {
  return async (repository, window) => {
    const [owner, repo] = repository.split("/");
    const found: MergedPull[] = [];
    for (let page = 1; ; page++) {
      const { data } = await attempt(`listing the closed pull requests of ${repository}`, () =>
        client.request("GET /repos/{owner}/{repo}/pulls", {
          owner,
          repo,
          state: "closed",
          sort: "updated",
          direction: "desc",
          per_page: PER_PAGE,
          page,
        }),
      );
      const { items, done } = mergedPullsOfPage(data, window);
      found.push(...items);
      if (done || !Array.isArray(data) || data.length < PER_PAGE) break;
    }
    return found.sort((a, b) => a.mergedAt.localeCompare(b.mergedAt) || a.number - b.number);
  };
}
