import { describe, expect, it } from "vitest";
import { CRITERIA } from "../../../src/core/criteria.js";
import {
  FRAMEWORK_IDS,
  FRAMEWORKS,
  RELATIONSHIP_KINDS,
  findFrameworkControl,
  isCitable,
} from "../../../src/core/frameworks/index.js";

describe.each(FRAMEWORK_IDS)("the %s crosswalk", (id) => {
  const framework = FRAMEWORKS[id];

  it("relates every one of the 61 criteria to at least one control", () => {
    const mapped = new Set(framework.relationships.map((r) => r.criterion));
    expect(CRITERIA).toHaveLength(61);
    expect(CRITERIA.map((c) => c.id).filter((c) => !mapped.has(c))).toEqual([]);
    expect([...mapped].filter((c) => !CRITERIA.some((k) => k.id === c))).toEqual([]);
  });

  it("names only controls of the framework's list, each well-formed and in a listed group", () => {
    const groups = new Set(framework.groups.map((g) => g.id));
    for (const c of framework.controls) {
      expect(c.id).toMatch(framework.idPattern);
      expect(groups.has(c.group), c.id).toBe(true);
      expect(c.title.length, c.id).toBeGreaterThan(3);
    }
    for (const r of framework.relationships)
      expect(findFrameworkControl(id, r.control), `${r.criterion} → ${r.control}`).toBeDefined();
  });

  it("has no duplicate controls or relationships", () => {
    const ids = framework.controls.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const pairs = framework.relationships.map((r) => `${r.criterion}→${r.control}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it("gives every relationship a known kind and a cited source with a date", () => {
    const sources = new Map(framework.sources.map((s) => [s.id, s]));
    for (const r of framework.relationships) {
      expect(RELATIONSHIP_KINDS).toContain(r.kind);
      const source = sources.get(r.source);
      expect(source, r.source).toBeDefined();
      expect(source!.date).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
      expect(source!.note).toMatch(/judgement/);
    }
  });
});

describe("the framework control lists", () => {
  it("lists the 93 controls of ISO/IEC 27001:2022 Annex A, A.5.1–A.5.37, A.6.1–A.6.8, A.7.1–A.7.14, A.8.1–A.8.34", () => {
    const iso = FRAMEWORKS.iso27001;
    expect(iso.controls).toHaveLength(93);
    const expected = [
      ["A.5", 37],
      ["A.6", 8],
      ["A.7", 14],
      ["A.8", 34],
    ] as const;
    expect(iso.controls.map((c) => c.id)).toEqual(
      expected.flatMap(([theme, n]) => Array.from({ length: n }, (_, i) => `${theme}.${i + 1}`)),
    );
    expect(findFrameworkControl("iso27001", "A.8.32")?.title).toBe("Change management");
  });

  it("lists the 20 NIST SP 800-53 rev. 5 families, each with its first control", () => {
    const nist = FRAMEWORKS["nist-800-53"];
    expect(nist.groups).toHaveLength(20);
    for (const g of nist.groups)
      expect(findFrameworkControl("nist-800-53", `${g.id}-1`)).toBeDefined();
    expect(findFrameworkControl("nist-800-53", "CM-3")?.title).toBe("Configuration Change Control");
  });

  it("accepts any well-formed 800-53 ID of a listed family, but only listed ISO controls", () => {
    expect(isCitable("nist-800-53", "SC-23")).toBe(true);
    expect(isCitable("nist-800-53", "AC-2(1)")).toBe(true);
    expect(isCitable("nist-800-53", "ZZ-1")).toBe(false);
    expect(isCitable("nist-800-53", "ac-2")).toBe(false);
    expect(isCitable("iso27001", "A.8.34")).toBe(true);
    expect(isCitable("iso27001", "A.8.35")).toBe(false);
    expect(isCitable("iso27001", "A.12.1.2")).toBe(false);
  });
});
