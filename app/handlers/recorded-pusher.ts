import type { PullRequestFacts as Facts } from "../../src/core/change-management/facts.js";
import type { ChangePolicy as Policy } from "../../src/core/change-management/policy.js";
import type { EvidenceStore } from "../../src/core/evidence/pending-record.js";
import {
  pullRequestActionSegment,
  pullRequestEventFolder,
} from "../../src/core/evidence/records/ids.js";
import { pusherFromPullRequestEvents } from "../../src/core/evidence/records/recorded-pusher.js";

// A pull request's head moves a few times, not hundreds: the newest synchronize records suffice.
const NEWEST_SYNCHRONIZE_RECORDS = 20;

/**
 * The facts with the last pusher filled in from the App's own synchronize records when GitHub's
 * activity API did not name one (a private fork, a GitHub Enterprise Server without it), so that
 * separation of duties is judged on who really pushed instead of failing closed on "unknown". Only
 * when the policy asks about the pusher: otherwise it costs reads for nothing.
 */
export async function withRecordedPusher(
  store: EvidenceStore,
  policy: Policy,
  facts: Facts,
): Promise<Facts> {
  if (facts.last_pusher || !policy.separation_of_duties.last_pusher || !store.readFolder)
    return facts;
  const marker = `-${pullRequestActionSegment("synchronize")}-`;
  const records = await store.readFolder(
    pullRequestEventFolder(facts.repository.full_name, facts.number),
    { select: (name) => name.includes(marker), limit: NEWEST_SYNCHRONIZE_RECORDS },
  );
  const pusher = pusherFromPullRequestEvents(records, facts.head.sha);
  return pusher ? { ...facts, last_pusher: pusher } : facts;
}
