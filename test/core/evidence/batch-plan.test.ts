import { describe, expect, it } from "vitest";
import { planAppend } from "../../../src/core/evidence/append-plan.js";
import {
  batchFiles,
  batchIndexPaths,
  batchIndexUpdates,
  pendingIndexPaths,
  planBatch,
} from "../../../src/core/evidence/batch-plan.js";
import type { ChainHead } from "../../../src/core/evidence/chain-head.js";
import { appendEntry, indexFilesFor, updateIndexes } from "../../../src/core/evidence/indexes.js";
import { reviewEvent, pullRequestEvent } from "./samples.js";

const AT = "2026-05-01T12:00:00Z";

/** What N single appends (one commit each) would leave: record files, the head, the indexes. */
function oneByOne(records: ReturnType<typeof reviewEvent>[], head?: ChainHead) {
  const files = new Map<string, string>();
  let current = head;
  for (const record of records) {
    const planned = planAppend({ record, head: current, evidencePath: "evidence", recordedAt: AT });
    if (!planned.ok) throw new Error(planned.problems.join("; "));
    const plan = planned.plan;
    files.set(plan.path, plan.text);
    files.set(plan.headPath, plan.headText);
    const read = appendEntry(plan);
    if (!read.ok) throw new Error(read.problem);
    const existing = new Map(indexFilesFor(read.entry, "evidence").map((p) => [p, files.get(p)]));
    for (const f of updateIndexes({ evidencePath: "evidence", entry: read.entry, existing }))
      files.set(f.path, f.text);
    current = plan.head;
  }
  return files;
}

describe("planBatch", () => {
  it("links the records in arrival order and writes the same bytes as single appends", () => {
    const records = [reviewEvent(3), pullRequestEvent(), reviewEvent(1)];
    const batch = planBatch({ records, head: undefined, evidencePath: "evidence", recordedAt: AT });
    expect(batch.refused).toEqual([]);
    expect(batch.plans.map((p) => [p.record.id, p.record.chain.sequence])).toEqual([
      [records[0]!.id, 1],
      [records[1]!.id, 2],
      [records[2]!.id, 3],
    ]);
    expect(batch.plans[1]!.record.chain.previous).toBe(batch.plans[0]!.head.digest);
    expect(batch.head).toEqual(batch.plans[2]!.head);

    const paths = batchIndexPaths(batch.plans, "evidence");
    expect(new Set(paths).size).toBe(paths.length); // each index read once
    // Known before planning, so a store can read them while it checks what is stored.
    expect(pendingIndexPaths(records, "evidence", AT).sort()).toEqual([...paths].sort());
    const indexes = batchIndexUpdates(batch.plans, "evidence", new Map());
    const files = batchFiles(batch, indexes);
    // One chain head, each index once.
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    expect(new Map(files.map((f) => [f.path, f.text]))).toEqual(oneByOne(records));
  });

  it("continues a chain from its head", () => {
    const first = planBatch({ records: [reviewEvent(1)], head: undefined, evidencePath: "evidence", recordedAt: AT });
    const next = planBatch({
      records: [reviewEvent(2), reviewEvent(3)],
      head: first.head,
      evidencePath: "evidence",
      recordedAt: AT,
    });
    expect(next.plans.map((p) => p.record.chain)).toEqual([
      { sequence: 2, previous: first.head!.digest },
      { sequence: 3, previous: next.plans[0]!.head.digest },
    ]);
  });

  it("leaves out a record that cannot be stored, and links the others without it", () => {
    const bad = reviewEvent(2);
    bad.content.action = "approved";
    const batch = planBatch({
      records: [reviewEvent(1), bad, reviewEvent(3)],
      head: undefined,
      evidencePath: "evidence",
      recordedAt: AT,
    });
    expect(batch.refused).toEqual([
      {
        id: bad.id,
        path: `evidence/${bad.id}.yml`,
        problems: [expect.stringMatching(/action/)],
      },
    ]);
    expect(batch.plans.map((p) => p.record.chain.sequence)).toEqual([1, 2]);
  });

  it("writes nothing when nothing is left", () => {
    const batch = planBatch({ records: [], head: undefined, evidencePath: "evidence", recordedAt: AT });
    expect(batchFiles(batch, [])).toEqual([]);
    expect(batch.head).toBeUndefined();
  });
});
