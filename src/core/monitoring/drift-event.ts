import { asObject, asString } from "../json-read.js";
import type { PendingRecord } from "../evidence/pending-record.js";
import { segment } from "../evidence/records/ids.js";
import type { DriftIssueAction } from "./drift-issues.js";
import type { ControlDrift } from "./drift.js";

export interface DriftEventInput {
  action: DriftIssueAction;
  /** The issue as GitHub answered (its number once opened). */
  issue: { repository: string; number: number; url?: string };
  drift: ControlDrift;
  at: Date;
  source: PendingRecord["source"];
}

const PAST: Record<DriftIssueAction["action"], "opened" | "updated" | "closed"> = {
  open: "opened",
  update: "updated",
  close: "closed",
};

/**
 * The evidence that the monitor opened, updated or closed a drift issue. Its id is derived from
 * the issue and the action (an update also from the time, as an issue may be updated often), so a
 * retried run records each opening and closing once.
 */
export function buildDriftEventRecord(input: DriftEventInput): PendingRecord {
  const action = PAST[input.action.action];
  const at = input.at.toISOString();
  const compact = at.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const [owner = "", repo = ""] = input.issue.repository.split("/");
  const name =
    action === "updated"
      ? `issue-${input.issue.number}-updated-${compact}`
      : `issue-${input.issue.number}-${action}`;
  return {
    id: `drift/${segment(owner, 39)}/${segment(repo, 50)}/${segment(input.drift.control, 40)}/${at.slice(0, 4)}/${name}`,
    kind: "drift-event",
    controls: [input.drift.control],
    recorded_at: at,
    source: input.source,
    content: {
      control: input.drift.control,
      action,
      ...(input.action.action === "close" ? { reason: input.action.reason } : {}),
      issue: { ...input.issue },
      occurred_at: at,
      checks: input.drift.checks.map((c) => ({
        target: c.target,
        requirement: c.requirement,
        result: c.result,
        reason: c.reason,
        ...(c.record ? { record: c.record } : {}),
      })),
    },
  };
}

/** "CHG-02 drift issue #7 opened", for the portal and the evidence indexes alike. */
export function driftEventSummary(content: Record<string, unknown>): string {
  const issue = asObject(content.issue);
  return `${asString(content.control) ?? "?"} drift issue #${String(issue.number ?? "?")} ${asString(content.action) ?? "?"}`;
}
