import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SpilledRows } from "../../src/adapters/spilled-rows.js";
import { csvChunks } from "../../src/adapters/spreadsheet.js";
import { byMergeOrder, type MergeOrderKey } from "../../src/core/audit/population.js";
import { shuffled } from "../helpers/shuffled.js";

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
});
