import { describe, expect, it } from "vitest";
import { GroupCommit, type BatchResults } from "../../../src/adapters/evidence/group-commit.js";
import type { PendingRecord } from "../../../src/core/evidence/pending-record.js";
import { reviewEvent } from "../../core/evidence/samples.js";

/** A writer that holds each batch until the test lets it go, and notes the ids of each. */
function heldWriter() {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  const write = async (records: PendingRecord[]): Promise<BatchResults> => {
    batches.push(records.map((r) => r.id));
    await new Promise<void>((resolve) => releases.push(resolve));
    return new Map(
      records.map((r) => [r.id, { status: "written" as const, path: `evidence/${r.id}.yml`, commit: `c${batches.length}` }]),
    );
  };
  const releaseNext = async () => {
    while (releases.length === 0) await new Promise((r) => setImmediate(r));
    releases.shift()!();
  };
  return { batches, write, releaseNext };
}

describe("GroupCommit", () => {
  it("writes a lone record at once and batches what arrives during a write", async () => {
    const w = heldWriter();
    const group = new GroupCommit(w.write);
    const first = group.append(reviewEvent(1));
    const later = [2, 3, 4].map((n) => group.append(reviewEvent(n)));
    await w.releaseNext();
    await w.releaseNext();
    const results = await Promise.all([first, ...later]);
    expect(w.batches).toEqual([[reviewEvent(1).id], [2, 3, 4].map((n) => reviewEvent(n).id)]);
    expect(results.map((r) => r.commit)).toEqual(["c1", "c2", "c2", "c2"]);
  });

  it("writes an id appended twice once: the first caller wrote it, the other learns it exists", async () => {
    const w = heldWriter();
    const group = new GroupCommit(w.write);
    const busy = group.append(reviewEvent(9));
    const twice = [group.append(reviewEvent(1)), group.append(reviewEvent(2)), group.append(reviewEvent(1))];
    await w.releaseNext();
    await w.releaseNext();
    await busy;
    expect(w.batches[1]).toEqual([reviewEvent(1).id, reviewEvent(2).id]);
    const path = `evidence/${reviewEvent(1).id}.yml`;
    expect(await Promise.all(twice)).toEqual([
      { status: "written", path, commit: "c2" },
      { status: "written", path: `evidence/${reviewEvent(2).id}.yml`, commit: "c2" },
      { status: "exists", path, commit: "c2" },
    ]);
  });

  it("caps a batch, and the rest goes in the next one", async () => {
    const w = heldWriter();
    const group = new GroupCommit(w.write, { maxRecords: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => group.append(reviewEvent(n)));
    for (let i = 0; i < 3; i++) await w.releaseNext();
    await Promise.all(all);
    expect(w.batches.map((b) => b.length)).toEqual([1, 2, 2]);
  });

  it("fails every caller of a batch that failed, and goes on with the next batch", async () => {
    let calls = 0;
    const group = new GroupCommit(async (records) => {
      calls++;
      if (calls === 2) throw new Error("GitHub is down");
      if (calls === 1) await new Promise((r) => setTimeout(r, 20));
      return new Map(records.map((r) => [r.id, { status: "written" as const, path: r.id }]));
    });
    const first = group.append(reviewEvent(1));
    const failing = [group.append(reviewEvent(2)), group.append(reviewEvent(2)), group.append(reviewEvent(3))];
    await first;
    const outcomes = await Promise.allSettled(failing);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ message: "GitHub is down" });
    await expect(group.append(reviewEvent(4))).resolves.toMatchObject({ status: "written" });
  });

  it("gives a record refused on its own its error, and the others their results", async () => {
    const group = new GroupCommit(async (records) =>
      new Map(
        records.map((r) => [r.id, r.id === reviewEvent(1).id ? new Error("invalid") : { status: "written" as const, path: r.id }]),
      ),
    );
    const [a, b] = await Promise.allSettled([group.append(reviewEvent(1)), group.append(reviewEvent(2))]);
    expect(a).toMatchObject({ status: "rejected", reason: { message: "invalid" } });
    expect(b).toMatchObject({ status: "fulfilled" });
  });

  it("takes a batch only inside `around`, so what arrives while it waits joins the batch", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const batches: string[][] = [];
    const group = new GroupCommit(
      async (records) => {
        batches.push(records.map((r) => r.id));
        return new Map(records.map((r) => [r.id, { status: "written" as const, path: r.id }]));
      },
      { around: async (write) => (await gate, write()) },
    );
    const all = [1, 2, 3].map((n) => group.append(reviewEvent(n))); // all wait for the gate
    open();
    await Promise.all(all);
    expect(batches).toEqual([[1, 2, 3].map((n) => reviewEvent(n).id)]);
  });

  it("fails the waiting callers when `around` fails, with what `failure` makes of it", async () => {
    const group = new GroupCommit(async () => new Map(), {
      around: async () => {
        throw new Error("no lock");
      },
      failure: (error, record) => new Error(`${record.id}: ${(error as Error).message}`),
    });
    const outcomes = await Promise.allSettled([group.append(reviewEvent(1)), group.append(reviewEvent(2))]);
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason.message)).toEqual([
      `${reviewEvent(1).id}: no lock`,
      `${reviewEvent(2).id}: no lock`,
    ]);
  });
});
