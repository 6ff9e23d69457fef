import type { ActivityRecord } from "../state/activity.js";
import { nodeId, type SerializeContext } from "./context.js";
import { simpleUser } from "./users.js";

/** One activity as GET /repos/{owner}/{repo}/activity returns it (GitHub's `activity`). */
export function activity(ctx: SerializeContext, record: ActivityRecord): Record<string, unknown> {
  return {
    id: record.id,
    node_id: nodeId("PushActivity", record.id),
    before: record.before,
    after: record.after,
    ref: record.ref,
    timestamp: record.at,
    activity_type: record.type,
    actor: simpleUser(ctx, record.actor),
  };
}
