import type { EvidenceStore } from "../../core/evidence/pending-record.js";
import { asObject, asString } from "../../core/json-read.js";
import {
  snapshotFolder,
  type SnapshotScope,
  type StoredSnapshot,
} from "../../core/monitoring/index.js";

/**
 * The latest stored snapshot of a target, looked for in this month's folder and then last month's
 * (snapshots are filed by month). Older than that, or a store that cannot read back: none, and
 * the next snapshot is stored in full, which costs space but never correctness.
 */
export async function previousSnapshot(
  store: EvidenceStore,
  scope: SnapshotScope,
  now: Date,
): Promise<StoredSnapshot | undefined> {
  if (!store.readFolder) return undefined;
  const month = (d: Date) =>
    `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  for (const m of [month(now), month(lastMonth)]) {
    const [latest] = await store.readFolder(`${snapshotFolder(scope)}/${m}`, {
      select: (name) => /^\d{8}T\d{6}Z\.yml$/.test(name),
      limit: 1,
    });
    const record = asObject(latest);
    const id = asString(record.id);
    if (id && record.kind === "settings-snapshot") return { id, content: asObject(record.content) };
  }
  return undefined;
}
