import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SpilledRows } from "../../src/adapters/spilled-rows.js";
import { csvChunks } from "../../src/adapters/spreadsheet.js";
import { byMergeOrder, type MergeOrderKey } from "../../src/core/audit/population.js";
import { shuffled } from "../helpers/seeded.js";

interface Row {
  id: string;
  mergedAt: string;
  title: string;
}

describe("SpilledRows", () => {
  it("gives back every row, sorted by key, across many write batches and multi-byte text", () => {
    // 3,000 rows of about 1 KB: three write batches, some rows straddling a batch boundary.
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `change-${String(i).padStart(5, "0")}`,
      mergedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 2) * 60_000).toISOString(),
      title: `Ünïcødé ✓ ${"x".repeat(900 + (i % 97))} "quoted" \n line ${i}`,
    }));
    const spill = new SpilledRows<Row, MergeOrderKey>();
    try {
      for (const row of shuffled(rows)) spill.add({ mergedAt: row.mergedAt, id: row.id }, row);
      expect(spill.size).toBe(3000);
      expect([...spill.sorted(byMergeOrder)]).toEqual(rows);
      // Read again, in another order: the file is still whole.
      const reversed = [...spill.sorted((a, b) => byMergeOrder(b, a))];
      expect(reversed).toEqual(rows.slice().reverse());
    } finally {
      spill.close();
    }
  });

  it("removes its temporary file on close, and closing twice is harmless", () => {
    const spill = new SpilledRows<Row, MergeOrderKey>();
    spill.add({ mergedAt: "2025-01-01T00:00:00Z", id: "a" }, { id: "a", mergedAt: "", title: "" });
    const dir = (spill as unknown as { dir: string }).dir;
    expect(existsSync(dir)).toBe(true);
    spill.close();
    spill.close();
    expect(existsSync(dir)).toBe(false);
  });

  it("sorts nothing into nothing", () => {
    const spill = new SpilledRows<Row, MergeOrderKey>();
    expect([...spill.sorted(byMergeOrder)]).toEqual([]);
    spill.close();
  });
});

describe("csvChunks", () => {
  const columns = [
    { key: "id", header: "record", width: 10 },
    { key: "title", header: "title", width: 10 },
  ];
  const rows = Array.from({ length: 25 }, (_, i) => ({
    values: [`pr-${i}`, i % 5 === 0 ? `=cmd|${i}, "x"\n` : `title ${i}`] as Array<string | number>,
    exception: false,
  }));

  it("makes the same CSV in pieces of any size: one header and byte order mark, every row once", () => {
    const whole = [...csvChunks({ columns, rows }, 1000)];
    expect(whole).toHaveLength(1);
    const pieces = [...csvChunks({ columns, rows }, 4)];
    expect(pieces).toHaveLength(7);
    expect(pieces.join("")).toBe(whole[0]);
    expect(whole[0]!.startsWith("\uFEFFrecord,title\r\n")).toBe(true);
    expect(whole[0]!.match(/\uFEFF/g)).toHaveLength(1);
    expect(whole[0]).toContain(`"'=cmd|0, ""x""\n"`);
  });

  it("writes the header alone for an empty table", () => {
    expect([...csvChunks({ columns, rows: [] })]).toEqual(["\uFEFFrecord,title\r\n"]);
  });

  it("reads an ordered list a slice at a time, ordering equal keys by their rows", () => {
    // Two changes a minute: every key is shared by two rows, ordered by their ids.
    const rows: Row[] = Array.from({ length: 1200 }, (_, i) => ({
      id: `change-${String(i).padStart(5, "0")}`,
      mergedAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 2) * 60_000).toISOString(),
      title: `row ${i}`,
    }));
    const spill = new SpilledRows<Row, string>();
    try {
      for (const row of shuffled(rows)) spill.add(row.mergedAt, row);
      const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      const list = spill.ordered(byText, byMergeOrder);
      expect(list.length).toBe(1200);
      expect(list.slice(0, 3)).toEqual(rows.slice(0, 3));
      expect(list.slice(500, 1000)).toEqual(rows.slice(500, 1000));
      expect(list.slice(-2)).toEqual(rows.slice(-2));
      expect(list.slice(1200, 1300)).toEqual([]);
      // Without a tie-break, equal keys stay in the order added.
      const added = shuffled(rows);
      const plain = new SpilledRows<Row, string>();
      try {
        for (const row of added) plain.add(row.mergedAt, row);
        const expected = added.slice().sort((a, b) => byText(a.mergedAt, b.mergedAt));
        expect(plain.ordered(byText).slice()).toEqual(expected);
      } finally {
        plain.close();
      }
    } finally {
      spill.close();
    }
  });

  it("finds a row by its key, and refuses to read once closed", () => {
    const spill = new SpilledRows<Row, string>();
    spill.add("a", { id: "a", mergedAt: "", title: "first" });
    spill.add("b", { id: "b", mergedAt: "", title: "second" });
    spill.add("a", { id: "a", mergedAt: "", title: "again" });
    const rows = spill.lookup();
    expect(rows.get("b")?.title).toBe("second");
    expect(rows.get("a")?.title).toBe("again");
    expect(rows.get("c")).toBeUndefined();
    spill.close();
    expect(() => rows.get("b")).toThrow("closed");
  });
});
