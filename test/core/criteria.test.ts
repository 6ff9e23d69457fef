import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CRITERIA,
  compareCriteria,
  criteriaInCategories,
  findCriterion,
} from "../../src/core/criteria.js";

// The reference list of criterion IDs shipped with the project's research notes, when present.
const tsv = (() => {
  try {
    return readFileSync(
      new URL("../../../shared/reference/soc2-criteria-ids.tsv", import.meta.url),
      "utf8",
    );
  } catch {
    return undefined;
  }
})();

describe("criteria catalog", () => {
  it("has exactly the 61 Trust Services Criteria with the right counts per category", () => {
    expect(CRITERIA).toHaveLength(61);
    const count = (category: string) => CRITERIA.filter((c) => c.category === category).length;
    expect([
      count("security"),
      count("availability"),
      count("confidentiality"),
      count("processing-integrity"),
      count("privacy"),
    ]).toEqual([33, 3, 2, 5, 18]);
    expect(new Set(CRITERIA.map((c) => c.id)).size).toBe(61);
  });

  it.skipIf(tsv === undefined)(
    "matches the reference list of IDs, families and COSO principles",
    () => {
      const rows = tsv!
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split("\t"));
      expect(CRITERIA.map((c) => c.id)).toEqual(rows.map((r) => r[0]));
      for (const [id, , family, familyName, coso] of rows) {
        const c = findCriterion(id!)!;
        expect(c.family).toBe(family);
        expect(c.cosoPrinciple === undefined ? "" : String(c.cosoPrinciple)).toBe(coso ?? "");
        if (family !== "CC2") expect(c.familyName).toBe(familyName);
      }
    },
  );

  it("rejects IDs that do not exist, such as CC9.9", () => {
    expect(findCriterion("CC9.9")).toBeUndefined();
    expect(findCriterion("CC8.1")?.category).toBe("security");
  });

  it("always includes Security and sorts in catalog order", () => {
    expect(criteriaInCategories(["availability"]).map((c) => c.id)).toHaveLength(36);
    expect(["A1.1", "CC9.2", "CC10.1", "CC1.1"].sort(compareCriteria)).toEqual([
      "CC1.1",
      "CC9.2",
      "A1.1",
      "CC10.1",
    ]);
  });
});
