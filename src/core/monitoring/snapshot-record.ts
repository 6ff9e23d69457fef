import { contentDigest } from "../digest.js";
import type { PendingRecord } from "../evidence/pending-record.js";
import { segment } from "../evidence/records/ids.js";
import type { DesiredState } from "./desired-state.js";
import { targetOf, type SnapshotScope } from "./snapshot.js";

/** A settings-snapshot record as stored: its id and content (the parts compaction needs). */
export interface StoredSnapshot {
  id: string;
  content: Record<string, unknown>;
}

export interface SnapshotRecordInput {
  scope: SnapshotScope;
  capturedAt: Date;
  settings: object;
  controls: readonly string[];
  source: PendingRecord["source"];
  /** The latest stored snapshot of the same target, if any: an unchanged snapshot points at it. */
  previous?: StoredSnapshot;
}

/**
 * A settings-snapshot record. Every run records one, so the evidence shows the settings were
 * watched throughout the period; but when the settings equal the previous snapshot's, the record
 * holds only their digest and `same_as`, the id of the record that holds them in full. `same_as`
 * always names a full record (never another reference), so resolving it is one step.
 */
export function buildSnapshotRecord(input: SnapshotRecordInput): PendingRecord {
  const settingsDigest = contentDigest(input.settings);
  const previous = input.previous?.content;
  const unchanged = previous !== undefined && previous.settings_digest === settingsDigest;
  const fullRecord =
    unchanged && typeof previous.same_as === "string" ? previous.same_as : input.previous?.id;
  const captured = input.capturedAt.toISOString();
  return {
    id: snapshotRecordId(input.scope, captured),
    kind: "settings-snapshot",
    controls: [...input.controls],
    recorded_at: captured,
    source: input.source,
    content: {
      system: "github",
      target: targetOf(input.scope),
      scope: { ...input.scope },
      captured_at: captured,
      settings_digest: settingsDigest,
      ...(unchanged && fullRecord ? { same_as: fullRecord } : { settings: input.settings }),
    },
  };
}

/** settings-snapshots/github/orgs/<org> or …/repos/<owner>/<repo>: one target's snapshots. */
export function snapshotFolder(scope: SnapshotScope): string {
  if (scope.type === "organization")
    return `settings-snapshots/github/orgs/${segment(scope.name, 39)}`;
  const [owner = "", name = ""] = scope.name.split("/");
  return `settings-snapshots/github/repos/${segment(owner, 39)}/${segment(name, 50)}`;
}

/**
 * <folder>/<yyyy>/<mm>/<yyyymmddThhmmssZ>: one snapshot a second per target, so a run repeated
 * (or a second replica) within the same second maps to the same record and is stored once.
 */
export function snapshotRecordId(scope: SnapshotScope, capturedAt: string): string {
  const t = capturedAt;
  const compact = `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}T${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}Z`;
  return `${snapshotFolder(scope)}/${t.slice(0, 4)}/${t.slice(5, 7)}/${compact}`;
}

/** The controls whose declarations a snapshot of this scope evidences. */
export function controlsForScope(desired: DesiredState, scope: SnapshotScope): string[] {
  const controls = desired.declarations
    .filter((d) =>
      scope.type === "organization"
        ? d.organization !== undefined
        : (d.branch_protection !== undefined || d.repository !== undefined) &&
          (d.repositories ?? desired.repositories).includes(scope.name),
    )
    .map((d) => d.control);
  return [...new Set(controls)].sort();
}
