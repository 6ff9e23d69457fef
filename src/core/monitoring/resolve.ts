import { contentDigest } from "../digest.js";
import { asObject, asString } from "../json-read.js";
import type { MonitoringSnapshot, SnapshotScope } from "./snapshot.js";

/** A stored record, as read from the evidence folder. */
export interface StoredRecord {
  id?: string | undefined;
  kind?: string | undefined;
  content: unknown;
}

export interface ResolveProblem {
  record: string;
  message: string;
}

/**
 * The monitoring snapshots among stored records, with each compact record's `same_as` followed
 * to the settings it stands for. A reference that leads nowhere, or to settings with another
 * digest, is a problem, never silently trusted. Records filed by people (no `scope`) are skipped:
 * the drift evaluator reads only what the monitor wrote, in its known shape.
 */
export function resolveSnapshots(records: readonly StoredRecord[]): {
  snapshots: MonitoringSnapshot[];
  problems: ResolveProblem[];
} {
  const byId = new Map<string, Record<string, unknown>>();
  for (const r of records)
    if (r.kind === "settings-snapshot" && r.id) byId.set(r.id, asObject(r.content));
  const snapshots: MonitoringSnapshot[] = [];
  const problems: ResolveProblem[] = [];
  for (const [id, content] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
    const scope = scopeOf(content.scope);
    const capturedAt = asString(content.captured_at);
    if (!scope || !capturedAt || content.system !== "github") continue;
    const digest = asString(content.settings_digest);
    let settings: unknown = content.settings;
    const sameAs = asString(content.same_as);
    if (settings === undefined && sameAs !== undefined) {
      const full = byId.get(sameAs);
      if (!full || full.settings === undefined) {
        problems.push({
          record: id,
          message: `same_as names ${sameAs}, which holds no settings: the record it stands for is missing`,
        });
        continue;
      }
      settings = full.settings;
    }
    if (settings === undefined || typeof settings !== "object") continue;
    if (digest !== undefined && contentDigest(settings) !== digest) {
      problems.push({
        record: id,
        message: `its settings do not hash to its settings_digest ${digest}${sameAs ? ` (through same_as ${sameAs})` : ""}: the settings were changed after they were recorded`,
      });
      continue;
    }
    snapshots.push({
      scope,
      captured_at: capturedAt,
      settings: settings as MonitoringSnapshot["settings"],
      record: id,
    });
  }
  return { snapshots, problems };
}

function scopeOf(value: unknown): SnapshotScope | undefined {
  const scope = asObject(value);
  const name = asString(scope.name);
  if (!name) return undefined;
  if (scope.type === "organization" || scope.type === "repository")
    return { type: scope.type, name };
  return undefined;
}
