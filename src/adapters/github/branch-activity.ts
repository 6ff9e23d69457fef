import { branchActivityOfPage, type BranchActivity } from "../../core/reconcile/candidates.js";
import type { ReconcileWindow } from "../../core/reconcile/window.js";
import { attempt, type GitHubClient } from "./client.js";

/**
 * The pushes, force pushes and branch deletions of a repository within a window, with who made
 * them: GET /repos/{o}/{r}/activity, newest first, followed by its cursor (the Link header's
 * `after`) until the activity is older than the window. Oldest first.
 */
export async function branchActivity(
  client: GitHubClient,
  repository: string,
  window: ReconcileWindow,
): Promise<BranchActivity[]> {
  const [owner, repo] = repository.split("/");
  const found: BranchActivity[] = [];
  let after: string | undefined;
  for (;;) {
    const { data, headers } = await attempt(`reading the activity of ${repository}`, () =>
      client.request("GET /repos/{owner}/{repo}/activity", {
        owner,
        repo,
        direction: "desc",
        per_page: 100,
        ...(after ? { after } : {}),
      }),
    );
    const { items, done } = branchActivityOfPage(data, window);
    found.push(...items);
    after = done ? undefined : nextCursor(headers.link);
    if (!after) break;
  }
  return found.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id - b.id);
}

/** The `after` cursor of the Link header's rel="next", if there is a next page. */
export function nextCursor(link: unknown): string | undefined {
  if (typeof link !== "string") return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return new URL(m[1]!).searchParams.get("after") ?? undefined;
  }
  return undefined;
}
