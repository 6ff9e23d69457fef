import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { PopulationTable } from "../core/audit/population.js";

/** A sheet of label/value lines that says what the table is (period, filters, counts). */
export type AboutLines = Array<[string, string | number]>;

/** Pale red, the fill spreadsheet users know as "bad", for exception rows. */
export const EXCEPTION_FILL_ARGB = "FFFFC7CE";
const EXCEPTION_FONT_ARGB = "FF9C0006";

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, or a leading tab or carriage
 * return) gets a leading apostrophe: pull-request titles are written by anyone who can open a
 * pull request, and a CSV opened in Excel must not execute them (OWASP's "CSV injection").
 */
function neutralize(value: string | number): string | number {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The table as CSV that opens in a spreadsheet: RFC 4180 quoting (CRLF line ends, quotes where a
 * field holds a comma, a quote or a line break), a header row, and a UTF-8 byte order mark, without
 * which Excel reads UTF-8 as the local code page and garbles any name or title that is not ASCII.
 */
export function toCsv(table: PopulationTable): string {
  return stringify(
    table.rows.map((row) => row.map(neutralize)),
    {
      header: true,
      columns: table.columns.map((c) => c.header),
      bom: true,
      record_delimiter: "windows",
      cast: { number: (n) => String(n) },
    },
  );
}

/**
 * Writes the table as an XLSX workbook: a "Population" sheet (frozen header, filters on every
 * column, exception rows filled pale red with dark red text, URLs as links) and an "About" sheet.
 * Cells are written as text, never as formulas, so no title can run as one.
 */
export async function writeXlsx(
  file: string,
  table: PopulationTable,
  about: AboutLines,
  extraSheets: Array<{ name: string; columns: string[]; rows: string[][] }> = [],
): Promise<void> {
  // Loaded on demand: exceljs takes a quarter of a second to load, which every other command would pay.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "soc2-as-code";
  const sheet = workbook.addWorksheet("Population", {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  sheet.columns = table.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  table.rows.forEach((values, index) => {
    const row = sheet.addRow(values);
    table.columns.forEach((column, i) => {
      const value = values[i];
      if (column.link && typeof value === "string" && /^https?:\/\//i.test(value))
        row.getCell(i + 1).value = { text: value, hyperlink: value };
    });
    if (table.exception[index]) {
      for (let i = 1; i <= table.columns.length; i++) {
        const cell = row.getCell(i);
        cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: EXCEPTION_FILL_ARGB } };
        cell.font = { color: { argb: EXCEPTION_FONT_ARGB } };
      }
    }
  });
  if (table.columns.length > 0)
    sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: 1, column: table.columns.length },
    };

  const info = workbook.addWorksheet("About");
  info.columns = [
    { header: "", key: "label", width: 34 },
    { header: "", key: "value", width: 90 },
  ];
  for (const [label, value] of about) info.addRow([label, value]);
  info.getColumn(1).font = { bold: true };

  for (const extra of extraSheets) {
    const s = workbook.addWorksheet(extra.name, { views: [{ state: "frozen", ySplit: 1 }] });
    s.columns = extra.columns.map((header) => ({ header, key: header, width: 24 }));
    s.getRow(1).font = { bold: true };
    for (const row of extra.rows) s.addRow(row);
  }

  const buffer = await workbook.xlsx.writeBuffer();
  await writeAtomically(file, new Uint8Array(buffer as ArrayBuffer));
}

/** Writes through a temporary name and a rename, so a reader never sees half a file. */
export async function writeAtomically(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}
