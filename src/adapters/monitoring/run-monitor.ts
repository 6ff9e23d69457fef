import type {
  AppendResult,
  EvidenceStore,
  PendingRecord,
} from "../../core/evidence/pending-record.js";
import {
  buildSnapshotRecord,
  type AccessReview,
  controlsForScope,
  evaluateDrift,
  type ControlDrift,
  type DesiredState,
  type MonitoringSnapshot,
  type SnapshotScope,
} from "../../core/monitoring/index.js";
import type { Clock } from "../clock.js";
import type { GitHubClient } from "../github/client.js";
import { collectOrganizationSettings } from "../github/settings/collect-organization.js";
import { collectRepositorySettings } from "../github/settings/collect-repository.js";
import { partReader } from "../github/settings/read-part.js";
import type { RetryOptions } from "../evidence/retry.js";
import { previousSnapshot } from "./previous-snapshot.js";

export interface MonitorInput {
  client: GitHubClient;
  desired: DesiredState;
  /** Where the records go; absent: a dry run, nothing is written. */
  store?: EvidenceStore;
  clock: Clock;
  source: PendingRecord["source"];
  retry?: RetryOptions;
  /** Merged access reviews: a removal the new snapshots still show is drift. */
  reviews?: readonly AccessReview[];
}

export interface MonitorRun {
  /** The snapshots taken, each with the record that holds (or would hold) it. */
  snapshots: Array<{ snapshot: MonitoringSnapshot; record: PendingRecord; stored?: AppendResult }>;
  /** Drift of every declared control against these snapshots (the same function soc2 drift runs offline). */
  drift: ControlDrift[];
}

/**
 * One monitoring run: snapshot the organization and each in-scope repository, store each as a
 * settings-snapshot record (unchanged ones compactly), and evaluate drift on what was recorded.
 */
export async function runMonitor(input: MonitorInput): Promise<MonitorRun> {
  const { desired } = input;
  // Every record must name a control it evidences: without declarations there is none to name.
  if (desired.declarations.length === 0)
    throw new Error(
      "soc2.yml declares no monitoring.desired_state: declare what must hold, each tied to a control",
    );
  const read = partReader(input.client, { ...input.retry, now: input.clock });
  const scopes: SnapshotScope[] = [
    ...(desired.organization
      ? [{ type: "organization" as const, name: desired.organization }]
      : []),
    ...desired.repositories.map((name) => ({ type: "repository" as const, name })),
  ];
  const out: MonitorRun["snapshots"] = [];
  for (const scope of scopes) {
    const started = input.clock();
    const previous = input.store ? await previousSnapshot(input.store, scope, started) : undefined;
    const settings =
      scope.type === "organization"
        ? await collectOrganizationSettings(read, scope.name, {
            auditLogSince: auditLogSince(previous, started),
          })
        : await collectRepositorySettings(read, scope.name);
    const capturedAt = input.clock();
    const controls = controlsForScope(desired, scope);
    const record = buildSnapshotRecord({
      scope,
      capturedAt,
      settings,
      // A snapshot no declaration names still evidences monitoring; soc2.yml ties it to a control.
      controls: controls.length > 0 ? controls : fallbackControls(desired),
      source: input.source,
      ...(previous ? { previous } : {}),
    });
    const stored = input.store ? await input.store.append(record) : undefined;
    out.push({
      snapshot: { scope, captured_at: capturedAt.toISOString(), settings, record: record.id },
      record,
      ...(stored ? { stored } : {}),
    });
  }
  return {
    snapshots: out,
    drift: evaluateDrift(
      desired,
      out.map((s) => s.snapshot),
      input.reviews,
    ),
  };
}

const WEEK = 7 * 24 * 60 * 60 * 1000;

/** The audit log is read from the previous snapshot on (no gap between runs), else for a week. */
function auditLogSince(
  previous: { content: Record<string, unknown> } | undefined,
  now: Date,
): string {
  const last = previous?.content.captured_at;
  return typeof last === "string" ? last : new Date(now.getTime() - WEEK).toISOString();
}

function fallbackControls(desired: DesiredState): string[] {
  return [...new Set(desired.declarations.map((d) => d.control))].sort();
}
