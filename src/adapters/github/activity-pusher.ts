import type { Account } from "../../core/change-management/facts.js";
import { pusherFromActivity, type RefActivity } from "../../core/change-management/last-pusher.js";
import { asObject as obj, textOf as str } from "../../core/json-read.js";
import { attempt, statusOf, type GitHubClient } from "./client.js";
import { account } from "./account.js";

/** The `after` cursor of GitHub's rel="next" link, if there is a next page. */
function nextCursor(link: unknown): string | undefined {
  const next = /<([^>]+)>;\s*rel="next"/.exec(str(link))?.[1];
  return next ? (new URL(next).searchParams.get("after") ?? undefined) : undefined;
}

const tipKey = (ref: string, sha: string) => `${ref}\n${sha}`;

/** One repository's activity, read a page (100, newest first) at a time, as far as needed. */
class ActivityPages {
  /** What was read, by ref and the commit it moved to (a lookup reads only its own entries). */
  readonly byTip = new Map<string, RefActivity[]>();
  private cursor: string | undefined;
  private done = false;

  constructor(
    private readonly client: GitHubClient,
    private readonly repository: string,
  ) {}

  /** Reads the next page; false when there is none, or the token may not read the activity. */
  async more(): Promise<boolean> {
    if (this.done) return false;
    const [owner, repo] = this.repository.split("/");
    let response;
    try {
      response = await this.client.request("GET /repos/{owner}/{repo}/activity", {
        owner,
        repo,
        per_page: 100,
        ...(this.cursor ? { after: this.cursor } : {}),
      });
    } catch (error) {
      const status = statusOf(error);
      // As pusherOfHead: a refusal leaves the pusher unknown (the verdict fails closed).
      if (status === 403 || status === 404) return !(this.done = true);
      return attempt(`reading the activity of ${this.repository}`, () => Promise.reject(error));
    }
    for (const a of (Array.isArray(response.data) ? response.data : []).map(obj)) {
      const entry: RefActivity = {
        ref: str(a.ref),
        after: str(a.after),
        activity_type: str(a.activity_type),
        timestamp: str(a.timestamp),
        actor: a.actor && typeof a.actor === "object" ? account(a.actor) : null,
      };
      const key = tipKey(entry.ref, entry.after);
      this.byTip.set(key, [...(this.byTip.get(key) ?? []), entry]);
    }
    this.cursor = nextCursor(response.headers.link);
    this.done = this.cursor === undefined;
    return true;
  }
}

/**
 * Who pushed each head, for many pull requests of a backfill: each head repository's activity is
 * read once, newest first and only as far back as a lookup needs (about a page per hundred pushes),
 * instead of one activity request per pull request.
 */
export function activityPusher(
  client: GitHubClient,
): (headRepository: string | null, branch: string, sha: string) => Promise<Account | null> {
  const pages = new Map<string, ActivityPages>();
  return async (headRepository, branch, sha) => {
    if (!headRepository) return null;
    let activity = pages.get(headRepository);
    if (!activity)
      pages.set(headRepository, (activity = new ActivityPages(client, headRepository)));
    for (;;) {
      // The newest push of the head is the first found, reading newest first.
      const entries = activity.byTip.get(tipKey(`refs/heads/${branch}`, sha)) ?? [];
      const found = pusherFromActivity(entries, branch, sha);
      if (found || !(await activity.more())) return found;
    }
  };
}
