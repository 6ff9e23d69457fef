import type { Account } from "../../change-management/facts.js";
import { accountOf, obj, str } from "./payload.js";

/**
 * Who pushed `headSha`, according to the App's own pull-request-event records of the pull request:
 * the actor of the newest synchronize record whose new head is that commit. GitHub names the
 * pusher as the sender of pull_request.synchronize, so these records know the pusher even where the
 * repository activity API cannot be read (a private fork, an older GitHub Enterprise Server).
 * Records of other kinds, actions or heads, and anything malformed, are ignored; none that
 * matches: null (the evaluator then fails closed).
 */
export function pusherFromPullRequestEvents(records: readonly unknown[], headSha: string): Account | null {
  let best: { at: string; actor: Account } | undefined;
  for (const record of records) {
    const r = obj(record);
    const content = obj(r.content);
    if (r.kind !== "pull-request-event" || content.action !== "synchronize") continue;
    if (str(content.after).toLowerCase() !== headSha.toLowerCase()) continue;
    const actor = accountOf(content.actor);
    const at = str(content.occurred_at);
    if (actor && (!best || at > best.at)) best = { at, actor };
  }
  return best?.actor ?? null;
}
