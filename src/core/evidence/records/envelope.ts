import type { PendingRecord } from "../pending-record.js";

/** What the App knows about the delivery that causes a record. */
export interface RecordContext {
  /** X-GitHub-Delivery: the same on a redelivery, so it makes ids idempotent. */
  deliveryId: string;
  /** The webhook event name, e.g. pull_request (the action is read from the payload). */
  event: string;
  /** When the record is written: the App's clock, passed in (the core reads no clock). */
  recordedAt: Date;
  /** The controls the record evidences (CHANGE_CONTROLS, default CHG-01). */
  controls: readonly string[];
  /** The software that wrote it, e.g. "soc2-as-code App 0.1.0". */
  sourceName: string;
  /** Set when the reconciler, not a webhook, found the change (deliveryId is then synthetic). */
  recoveredBy?: "reconciliation";
}

export function envelope(
  context: RecordContext,
  kind: PendingRecord["kind"],
  id: string,
  action: string,
  content: Record<string, unknown>,
): PendingRecord {
  return {
    id,
    kind,
    controls: [...context.controls],
    recorded_at: context.recordedAt.toISOString(),
    source: {
      type: "github-app",
      name: context.sourceName,
      delivery_id: context.deliveryId,
      event: action ? `${context.event}.${action}` : context.event,
      ...(context.recoveredBy ? { recovered_by: context.recoveredBy } : {}),
    },
    content,
  };
}
