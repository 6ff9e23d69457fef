import { planAppend } from "../../src/core/evidence/append-plan.js";
import type {
  AppendResult,
  EvidenceStore,
  PendingRecord,
} from "../../src/core/evidence/pending-record.js";

/**
 * An in-memory EvidenceStore with the real stores' contract: idempotent by record id (a second
 * append of an id answers "exists" and changes nothing), and a record that would not validate is
 * refused, as planAppend refuses it before a real store writes anything.
 */
export class FakeStore implements EvidenceStore {
  readonly records = new Map<string, PendingRecord>();
  /** Every append call, including redeliveries. */
  readonly calls: string[] = [];
  /** When set, append rejects with it (a store that outlasted its retries). */
  failWith: Error | undefined;

  async append(record: PendingRecord): Promise<AppendResult> {
    this.calls.push(record.id);
    if (this.failWith) throw this.failWith;
    const path = `evidence/${record.id}.yml`;
    if (this.records.has(record.id)) return { status: "exists", path };
    const plan = planAppend({ record, head: undefined, evidencePath: "evidence" });
    if (!plan.ok) throw new Error(`invalid record ${record.id}:\n${plan.problems.join("\n")}`);
    this.records.set(record.id, structuredClone(record));
    return { status: "written", path, commit: "0".repeat(39) + String(this.records.size % 10) };
  }

  /** The stored records of a kind. */
  ofKind(kind: PendingRecord["kind"]): PendingRecord[] {
    return [...this.records.values()].filter((r) => r.kind === kind);
  }
}
