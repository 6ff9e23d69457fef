import { byMergeOrder, byMergeTime, type ChangeItem } from "../core/audit/population.js";
import { ownCopy } from "../core/detach.js";
import type { Rows } from "../core/rows.js";
import { SpilledRows } from "./spilled-rows.js";

/**
 * Population rows waiting in a temporary file for the sort into merge order (by merge time,
 * then id, as `byMergeOrder`). In memory a row costs its merge time alone: the rare rows merged at
 * the same time are ordered by their ids, read back then. `close` removes the file.
 */
export class SpilledPopulation {
  private readonly rows = new SpilledRows<ChangeItem, string>();

  get size(): number {
    return this.rows.size;
  }

  add(change: ChangeItem): void {
    this.rows.add(ownCopy(change.mergedAt), change);
  }

  /** The rows in merge order, each read back as it is reached. */
  inMergeOrder(): Generator<ChangeItem> {
    return this.rows.sorted(byMergeTime, byMergeOrder);
  }

  /** The rows in merge order, as a list read a slice at a time (a page of a site). */
  pages(): Rows<ChangeItem> {
    return this.rows.ordered(byMergeTime, byMergeOrder);
  }

  close(): void {
    this.rows.close();
  }
}
