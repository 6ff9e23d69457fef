import { once, type EventEmitter } from "node:events";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { dirname } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { Row } from "exceljs";
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
 *
 * Made in pieces of `batch` rows, so a population of a decade is never one string in memory: the
 * pieces joined are the table's CSV.
 */
export function* csvChunks(table: PopulationTable, batch = 1000): Generator<string> {
  const columns = table.columns.map((c) => c.header);
  const piece = (rows: Array<Array<string | number>>, first: boolean) =>
    stringify(rows, {
      header: first,
      columns,
      bom: first,
      record_delimiter: "windows",
      cast: { number: (n) => String(n) },
    });
  let rows: Array<Array<string | number>> = [];
  let first = true;
  for (const row of table.rows) {
    rows.push(row.values.map(neutralize));
    if (rows.length < batch) continue;
    yield piece(rows, first);
    first = false;
    rows = [];
  }
  if (rows.length > 0 || first) yield piece(rows, first);
}

/**
 * How dates show. Excel dates carry no time zone: the cell holds the UTC instant (the About sheet
 * says so), so sorting, filtering and date arithmetic work, and the text stays what CSV shows.
 */
export const DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss";

/**
 * An ISO 8601 timestamp or date as a Date for exceljs, which stores it as an Excel serial number
 * counted in UTC. Anything else (empty, malformed) stays as it was.
 */
function excelDate(value: unknown): Date | undefined {
  if (
    typeof value !== "string" ||
    !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)
  )
    return undefined;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/**
 * Writes the table as an XLSX workbook: a "Population" sheet (frozen header, filters on every
 * column, exception rows filled pale red with dark red text, URLs as links, timestamps as real
 * dates) and an "About" sheet. Other cells are written as text, never as formulas, so no title can
 * run as one.
 *
 * exceljs's streaming writer writes each row to the file as it is committed, so a population of
 * a decade holds one row in memory, not the workbook. Inline strings (no shared-string table,
 * which would hold every distinct text until the end) keep it so.
 */
export async function writeXlsx(
  file: string,
  table: PopulationTable,
  about: AboutLines,
  extraSheets: Array<{
    name: string;
    columns: string[];
    rows: string[][];
    /** Indexes of the columns holding UTC timestamps, stored as dates. */
    dates?: number[];
  }> = [],
): Promise<void> {
  // Loaded on demand: exceljs takes a quarter of a second to load, which every other command would pay.
  const { default: ExcelJS } = await import("exceljs");
  await atomically(file, async (temporary) => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: temporary,
      useStyles: true,
      useSharedStrings: false,
    });
    workbook.creator = "soc2-as-code";
    const sheet = workbook.addWorksheet("Population", {
      views: [{ state: "frozen", ySplit: 1 }],
    });
    sheet.columns = table.columns.map((c) => ({
      header: c.header,
      key: c.key,
      width: c.width,
      ...(c.date ? { style: { numFmt: DATE_TIME_FORMAT } } : {}),
    }));
    if (table.columns.length > 0)
      sheet.autoFilter = {
        from: { row: 1, column: 1 },
        to: { row: 1, column: table.columns.length },
      };
    boldHeader(sheet.getRow(1), table.columns.length);
    let written = 0;
    for (const { values, exception } of table.rows) {
      const row = sheet.addRow(values);
      table.columns.forEach((column, i) => {
        const value = values[i];
        const cell = row.getCell(i + 1);
        if (column.link && typeof value === "string" && /^https?:\/\//i.test(value))
          cell.value = { text: value, hyperlink: value };
        const date = column.date ? excelDate(value) : undefined;
        if (date) {
          cell.value = date;
          cell.numFmt = DATE_TIME_FORMAT;
        }
      });
      if (exception) {
        for (let i = 1; i <= table.columns.length; i++) {
          const cell = row.getCell(i);
          cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: EXCEPTION_FILL_ARGB } };
          cell.font = { color: { argb: EXCEPTION_FONT_ARGB } };
        }
      }
      row.commit();
      if (++written % 100 === 0) await archived(sheet);
    }
    sheet.commit();

    const info = workbook.addWorksheet("About");
    info.columns = [
      { key: "label", width: 34, style: { font: { bold: true } } },
      { key: "value", width: 90 },
    ];
    for (const [label, value] of about) {
      const row = info.addRow([label, value]);
      row.getCell(1).font = { bold: true };
      row.commit();
    }
    info.commit();

    for (const extra of extraSheets) {
      const s = workbook.addWorksheet(extra.name, { views: [{ state: "frozen", ySplit: 1 }] });
      s.columns = extra.columns.map((header) => ({ header, key: header, width: 24 }));
      boldHeader(s.getRow(1), extra.columns.length);
      for (const values of extra.rows) {
        const row = s.addRow(values);
        for (const i of extra.dates ?? []) {
          const date = excelDate(values[i]);
          if (!date) continue;
          row.getCell(i + 1).value = date;
          row.getCell(i + 1).numFmt = DATE_TIME_FORMAT;
        }
        row.commit();
      }
      s.commit();
    }
    await workbook.commit();
  });
}

/** What a sheet's zip entry may hold before the writer waits for the archive to take it. */
const ARCHIVE_BACKLOG_BYTES = 1 << 20;

/**
 * Waits until the zip archive has taken the rows committed so far. exceljs's streaming writer
 * hands each committed row to the sheet's zip entry without waiting: in a loop that never lets the
 * archive compress, the whole sheet piles up in memory (about 2.5 KB a row; exceljs issues #1894
 * and #2916). The entry stream is exceljs's internal: where it is not found, or does not drain
 * within a second, the writer goes on, so the output never depends on it, only the memory does.
 */
async function archived(sheet: unknown): Promise<void> {
  const entry = (sheet as { _stream?: { pipes?: unknown[] } })._stream?.pipes?.[0] as
    (EventEmitter & { _writableState?: { length?: number; needDrain?: boolean } }) | undefined;
  const state = entry?._writableState;
  if (!entry || !state?.needDrain || (state.length ?? 0) < ARCHIVE_BACKLOG_BYTES) return;
  const timeout = new AbortController();
  await Promise.race([
    once(entry, "drain", { signal: timeout.signal }).catch(() => undefined),
    delay(1000, undefined, { signal: timeout.signal }).catch(() => undefined),
  ]);
  timeout.abort();
}

/** The header row in bold: the streaming writer styles cells, not a row after it is written. */
function boldHeader(row: Row, columns: number): void {
  for (let i = 1; i <= columns; i++) row.getCell(i).font = { bold: true };
  row.font = { bold: true };
}

/** Writes through a temporary name and a rename, so a reader never sees half a file. */
export async function writeAtomically(file: string, content: string | Uint8Array): Promise<void> {
  await atomically(file, (temporary) => writeFile(temporary, content));
}

/** Writes text made in pieces, piece by piece, through a temporary name and a rename. */
export async function writeChunksAtomically(file: string, chunks: Iterable<string>): Promise<void> {
  await atomically(file, async (temporary) => {
    const handle = await open(temporary, "w");
    try {
      for (const chunk of chunks) await handle.write(chunk);
    } finally {
      await handle.close();
    }
  });
}

/**
 * Makes the file under a temporary name beside it, then renames it into place; when making it
 * fails, the temporary file is removed.
 */
async function atomically(file: string, make: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await make(temporary);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
