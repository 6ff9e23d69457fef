import { describe, expect, it } from "vitest";
import { SpilledPopulation } from "../../src/adapters/spilled-population.js";
import { inMergeOrder, type ChangeItem } from "../../src/core/audit/population.js";
import { shuffled } from "../helpers/seeded.js";

/** Population rows, three merged each minute (so merge times alone do not order them). */
function changes(count: number): ChangeItem[] {
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        id: `changes/acme/web/pr-${String((i * 7919) % count).padStart(5, "0")}`,
        path: `evidence/changes/acme/web/pr-${i}.yml`,
        mergedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 3) * 60_000).toISOString(),
        repository: "acme/web",
        title: `change ${i}`,
      }) as ChangeItem,
  );
}

describe("SpilledPopulation", () => {
  it("gives the rows in merge order, as inMergeOrder sorts them in memory, whole or by pages", () => {
    const rows = changes(900);
    const expected = inMergeOrder(rows.slice());
    const spill = new SpilledPopulation();
    try {
      for (const row of shuffled(rows)) spill.add(row);
      expect(spill.size).toBe(900);
      expect([...spill.inMergeOrder()]).toEqual(expected);
      const pages = spill.pages();
      expect(pages.length).toBe(900);
      expect(pages.slice(300, 600)).toEqual(expected.slice(300, 600));
    } finally {
      spill.close();
    }
  });
});
