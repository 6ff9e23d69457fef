import type { Account } from "../../core/change-management/facts.js";
import { pusherFromActivity, type RefActivity } from "../../core/change-management/last-pusher.js";
import { asObject as obj, textOf as str } from "../../core/json-read.js";
import type { GitHubClient } from "./client.js";
import { activityReader, type RepositoryActivity } from "./repository-activity.js";
import { account } from "./account.js";

const tipKey = (ref: string, sha: string) => `${ref}\n${sha}`;

/** What was read of one repository's activity, by ref and the commit it moved to. */
interface TipIndex {
  byTip: Map<string, RefActivity[]>;
  /** The next page of the activity to index. */
  next: number;
}

function indexPage(index: TipIndex, page: unknown[]): void {
  for (const a of page.map(obj)) {
    const entry: RefActivity = {
      ref: str(a.ref),
      after: str(a.after),
      activity_type: str(a.activity_type),
      timestamp: str(a.timestamp),
      actor: a.actor && typeof a.actor === "object" ? account(a.actor) : null,
    };
    const key = tipKey(entry.ref, entry.after);
    index.byTip.set(key, [...(index.byTip.get(key) ?? []), entry]);
  }
  index.next++;
}

/**
 * Who pushed each head, for many pull requests of a backfill: each head repository's activity is
 * read once, newest first and only as far back as a lookup needs (about a page per hundred pushes),
 * instead of one activity request per pull request.
 */
export function activityPusher(
  client: GitHubClient,
  /** Where the activity pages come from: a reconciliation shares them with its push listing. */
  activityOf: (repository: string) => RepositoryActivity = activityReader(client),
): (headRepository: string | null, branch: string, sha: string) => Promise<Account | null> {
  const indexes = new Map<string, TipIndex>();
  return async (headRepository, branch, sha) => {
    if (!headRepository) return null;
    let index = indexes.get(headRepository);
    if (!index) indexes.set(headRepository, (index = { byTip: new Map(), next: 0 }));
    for (;;) {
      // The newest push of the head is the first found, reading newest first. A refusal (403,
      // 404) ends the pages: as pusherOfHead, the pusher is unknown and the verdict fails closed.
      const entries = index.byTip.get(tipKey(`refs/heads/${branch}`, sha)) ?? [];
      const found = pusherFromActivity(entries, branch, sha);
      if (found) return found;
      const page = await activityOf(headRepository).page(index.next);
      if (!page) return null;
      indexPage(index, page);
    }
  };
}
