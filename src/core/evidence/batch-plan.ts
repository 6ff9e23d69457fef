import { planAppend, type AppendPlan } from "./append-plan.js";
import type { ChainHead } from "./chain-head.js";
import {
  appendEntry,
  indexEntry,
  indexFilesFor,
  updateIndexes,
  type IndexFile,
} from "./indexes.js";
import type { PendingRecord } from "./pending-record.js";
import { recordPath } from "./record-path.js";

export interface BatchInput {
  /** Records not stored yet, with distinct ids, in the order they arrived: the chain order. */
  records: readonly PendingRecord[];
  /** The chain head at the commit the batch is based on; undefined when there is none yet. */
  head: ChainHead | undefined;
  evidencePath: string;
  /** The moment of this write attempt (ISO 8601), stamped as every record's `recorded_at`. */
  recordedAt: string;
}

export interface BatchPlan {
  /** The records that will be written, each linked to the one before, in arrival order. */
  plans: AppendPlan[];
  /** Records refused as they are (invalid id or content): the others are written without them. */
  refused: { id: string; path: string; problems: string[] }[];
  /** The chain head after the batch; the input's when nothing is written. */
  head: ChainHead | undefined;
}

/**
 * Group commit: many records in one commit, each still linked to its predecessor in arrival
 * order, as if they had been appended one by one. A record that cannot be stored is left out
 * (its caller learns why) without holding up the others.
 */
export function planBatch(input: BatchInput): BatchPlan {
  const plans: AppendPlan[] = [];
  const refused: BatchPlan["refused"] = [];
  let head = input.head;
  for (const record of input.records) {
    const planned = planAppend({
      record,
      head,
      evidencePath: input.evidencePath,
      recordedAt: input.recordedAt,
    });
    if (!planned.ok) {
      refused.push({
        id: record.id,
        path: recordPath(input.evidencePath, record.id),
        problems: planned.problems,
      });
      continue;
    }
    plans.push(planned.plan);
    head = planned.plan.head;
  }
  return { plans, refused, head };
}

/** Every index file (from the repository root) the batch reads and may change, each once. */
export function batchIndexPaths(plans: readonly AppendPlan[], evidencePath: string): string[] {
  const paths = new Set<string>();
  for (const plan of plans) {
    const read = appendEntry(plan);
    if (read.ok) for (const path of indexFilesFor(read.entry, evidencePath)) paths.add(path);
  }
  return [...paths];
}

/**
 * The index files records will most likely touch once stored at `recordedAt`, before they are
 * planned, so that a store can read them while it checks which records are stored already. (The
 * plans decide: `batchIndexPaths` names what they really touch.)
 */
export function pendingIndexPaths(
  records: readonly PendingRecord[],
  evidencePath: string,
  recordedAt: string,
): string[] {
  const paths = new Set<string>();
  for (const record of records) {
    const read = indexEntry(`${record.id}.yml`, { ...record, recorded_at: recordedAt });
    if (read.ok) for (const path of indexFilesFor(read.entry, evidencePath)) paths.add(path);
  }
  return [...paths];
}

/**
 * The index files the batch changes, each once with every record's row: the rows are added one
 * record after the other, exactly as single appends would have added them, so the bytes are the
 * same as after N single commits. `existing` holds the text at the base commit of every path
 * `batchIndexPaths` names (undefined: no such file yet).
 */
export function batchIndexUpdates(
  plans: readonly AppendPlan[],
  evidencePath: string,
  existing: ReadonlyMap<string, string | undefined>,
): IndexFile[] {
  const texts = new Map(existing);
  const changed = new Set<string>();
  for (const plan of plans) {
    const read = appendEntry(plan);
    if (!read.ok) continue; // cannot happen for a record planAppend accepted; never block evidence
    for (const file of updateIndexes({ evidencePath, entry: read.entry, existing: texts })) {
      texts.set(file.path, file.text);
      changed.add(file.path);
    }
  }
  return [...changed].sort().map((path) => ({ path, text: texts.get(path) ?? "" }));
}

/** Every file of the batch's commit: the records, the chain head once, and the indexes. */
export function batchFiles(batch: BatchPlan, indexes: readonly IndexFile[]): IndexFile[] {
  const last = batch.plans.at(-1);
  if (!last) return [];
  return [
    ...batch.plans.map((p) => ({ path: p.path, text: p.text })),
    { path: last.headPath, text: last.headText },
    ...indexes,
  ];
}
