import type { Account } from "../../core/change-management/facts.js";
import { pusherFromActivity, type RefActivity } from "../../core/change-management/last-pusher.js";
import { asObject as obj, textOf as str } from "../../core/json-read.js";
import { attempt, statusOf, type GitHubClient } from "./client.js";
import { account } from "./account.js";

/** The head of a pull request: where it lives and which commit it is. */
export interface HeadRef {
  /** owner/name of the repository the head branch lives in (a fork's differs from the base). */
  repository: string;
  branch: string;
  sha: string;
}

/**
 * Who pushed the head commit, from the head repository's activity (GET /repos/{o}/{r}/activity,
 * filtered to the head branch, newest first). Null when the token may not read it (403, 404: a
 * private fork, a GitHub Enterprise Server without the API) or no push of the head is listed; the
 * evaluator then fails closed. All activity types are read, not only push and force_push, because
 * a branch created at the head (its first push) is a branch_creation.
 */
export async function pusherOfHead(client: GitHubClient, head: HeadRef): Promise<Account | null> {
  const [owner, repo] = head.repository.split("/");
  let raw: unknown[];
  try {
    raw = await client.paginate("GET /repos/{owner}/{repo}/activity", {
      owner,
      repo,
      ref: `refs/heads/${head.branch}`,
      per_page: 100,
    });
  } catch (error) {
    const status = statusOf(error);
    if ((status === 403 && !rateLimited(error)) || status === 404) return null;
    return attempt(`reading the activity of ${head.branch} in ${head.repository}`, () =>
      Promise.reject(error),
    );
  }
  const activities = raw.map(obj).map((a): RefActivity => ({
    ref: str(a.ref),
    after: str(a.after),
    activity_type: str(a.activity_type),
    timestamp: str(a.timestamp),
    actor: a.actor && typeof a.actor === "object" ? account(a.actor) : null,
  }));
  return pusherFromActivity(activities, head.branch, head.sha);
}

/** A 403 that is a rate limit, not a refusal: it must fail the run, not pass as "unknown". */
function rateLimited(error: unknown): boolean {
  const headers = obj(obj(obj(error).response).headers);
  return headers["x-ratelimit-remaining"] === "0" || headers["retry-after"] !== undefined;
}
