import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { writeXlsx } from "../../src/adapters/spreadsheet.js";
import type { PopulationTable } from "../../src/core/audit/population.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const table: PopulationTable = {
  columns: [
    { key: "record", header: "record", width: 20 },
    { key: "url", header: "url", width: 30, link: true },
    { key: "merged", header: "merged at", width: 20, date: true },
  ],
  rows: [
    {
      values: ["pr-1", "https://github.com/acme/web/pull/1", "2026-11-02T10:00:00Z"],
      exception: false,
    },
    { values: ["=HYPERLINK(1)", "javascript:alert(1)", "not a date"], exception: true },
    {
      values: ["pr-3", "https://github.com/acme/web/pull/3", "2026-11-04T08:30:00Z"],
      exception: false,
    },
  ],
};

describe("writeXlsx (exceljs's streaming writer)", () => {
  it("writes the population, About and extra sheets with their styles, links and dates", async () => {
    const dir = await mkdtemp(join(tmpdir(), "soc2-xlsx-"));
    dirs.push(dir);
    const file = join(dir, "out", "population.xlsx");
    await writeXlsx(
      file,
      table,
      [
        ["period", "2026-11-01 to 2026-11-30"],
        ["changes", 3],
      ],
      [
        {
          name: "Unaccounted commits",
          columns: ["sha", "committed at"],
          rows: [["abc", "2026-11-05T00:00:00Z"]],
          dates: [1],
        },
      ],
    );
    // Written through a temporary name: only the workbook is left in the folder.
    expect(await readdir(join(dir, "out"))).toEqual(["population.xlsx"]);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet("Population")!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBe("A1:C1");
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(["record", "url", "merged at"]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getCell("B2").value).toEqual({
      text: "https://github.com/acme/web/pull/1",
      hyperlink: "https://github.com/acme/web/pull/1",
    });
    expect((sheet.getCell("C2").value as Date).toISOString()).toBe("2026-11-02T10:00:00.000Z");
    expect(sheet.getCell("C2").numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    // Text, never a formula or a link, whatever a title says.
    expect(sheet.getCell("A3").value).toBe("=HYPERLINK(1)");
    expect(sheet.getCell("B3").value).toBe("javascript:alert(1)");
    expect(sheet.getCell("C3").value).toBe("not a date");
    const fill = sheet.getCell("A3").fill as { fgColor?: { argb?: string } };
    expect(fill.fgColor?.argb).toBe("FFFFC7CE");
    expect(sheet.getCell("A2").fill).toBeUndefined();

    const about = workbook.getWorksheet("About")!;
    expect(about.getCell("A1").value).toBe("period");
    expect(about.getCell("B2").value).toBe(3);
    const extra = workbook.getWorksheet("Unaccounted commits")!;
    expect((extra.getCell("B2").value as Date).toISOString()).toBe("2026-11-05T00:00:00.000Z");
  });

  it("writes every row of a table larger than the archive's backlog, rows made as it reads them", async () => {
    // About 5 MB of sheet: the writer waits for the archive several times on the way.
    const dir = await mkdtemp(join(tmpdir(), "soc2-xlsx-"));
    dirs.push(dir);
    const file = join(dir, "large.xlsx");
    const count = 6000;
    let made = 0;
    function* rows() {
      for (let i = 0; i < count; i++) {
        made++;
        yield {
          values: [`pr-${i}`, `https://github.com/acme/web/pull/${i}`, `${"t".repeat(700)} ${i}`],
          exception: i % 1000 === 0,
        };
      }
    }
    await writeXlsx(file, { columns: table.columns, rows: rows() }, [["changes", count]]);
    expect(made).toBe(count);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet("Population")!;
    expect(sheet.rowCount).toBe(count + 1);
    expect(sheet.getCell(`A${count + 1}`).value).toBe(`pr-${count - 1}`);
    expect(sheet.getCell(`C${count + 1}`).value).toBe(`${"t".repeat(700)} ${count - 1}`);
    expect(sheet.getCell(`B${count + 1}`).value).toEqual({
      text: `https://github.com/acme/web/pull/${count - 1}`,
      hyperlink: `https://github.com/acme/web/pull/${count - 1}`,
    });
    const fill = sheet.getCell("A1002").fill as { fgColor?: { argb?: string } };
    expect(fill.fgColor?.argb).toBe("FFFFC7CE");
  });
});
