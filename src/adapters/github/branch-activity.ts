import { branchActivityOfPage, type BranchActivity } from "../../core/reconcile/candidates.js";
import type { ReconcileWindow } from "../../core/reconcile/window.js";
import { attempt } from "./client.js";
import type { RepositoryActivity } from "./repository-activity.js";

/**
 * The pushes, force pushes and branch deletions of a repository within a window, with who made
 * them: the repository's activity, newest first, page by page until it is older than the window.
 * Oldest first. A refusal (403, 404) fails: a listing that cannot be read is not an empty one.
 */
export async function branchActivity(
  activity: RepositoryActivity,
  window: ReconcileWindow,
): Promise<BranchActivity[]> {
  const found: BranchActivity[] = [];
  for (let index = 0; ; index++) {
    const page = await activity.page(index);
    if (!page) break;
    const { items, done } = branchActivityOfPage(page, window);
    found.push(...items);
    if (done) break;
  }
  if (activity.refusal !== undefined)
    await attempt(`reading the activity of ${activity.repository}`, () =>
      Promise.reject(activity.refusal),
    );
  return found.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.id - b.id);
}
