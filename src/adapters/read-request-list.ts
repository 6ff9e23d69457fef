import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { CsvError, parse } from "csv-parse/sync";
import { diagnostic, FILE_START, type Diagnostic } from "../core/diagnostics.js";
import type { Cell } from "../core/requests/cells.js";
import type { RequestSheet } from "../core/requests/parse-list.js";
import { decodeUtf8 } from "../core/utf8.js";

/** The largest request list read: a few hundred rows take kilobytes; 16 MiB is a wrong file. */
export const MAX_REQUEST_LIST_BYTES = 16 * 1024 * 1024;

export type RequestListRead =
  | { ok: true; sheets: RequestSheet[]; kind: "csv" | "xlsx" }
  | { ok: false; diagnostic: Diagnostic };

/**
 * Reads an auditor's request list, CSV or Excel (.xlsx), into rows of cells for the core. A
 * spreadsheet gives one sheet per worksheet, in workbook order; its date cells arrive as dates.
 */
export async function readRequestList(
  path: string,
  shown: string = path,
): Promise<RequestListRead> {
  const fail = (message: string, at = FILE_START): RequestListRead => ({
    ok: false,
    diagnostic: diagnostic(shown, at, "error", "request-list", message),
  });
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      code === "ENOENT"
        ? "no such file: give the path of the auditor's request list (.csv or .xlsx)"
        : `could not be read (${code ?? String(error)}): check the path and its permissions`,
    );
  }
  if (bytes.length > MAX_REQUEST_LIST_BYTES)
    return fail(
      `the file is ${bytes.length} bytes: a request list is far smaller; is it the right file?`,
    );
  const ext = extname(path).toLowerCase();
  if (ext === ".xlsx") return readXlsx(bytes, shown, fail);
  if (ext === ".csv" || ext === ".txt" || ext === ".tsv") return readCsv(bytes, shown, fail);
  if (ext === ".xls")
    return fail("the old Excel format (.xls) is not read: save the list as .xlsx or CSV UTF-8");
  return fail(`"${basename(path)}" is neither .csv nor .xlsx: save the list as one of them`);
}

function readCsv(
  bytes: Buffer,
  shown: string,
  fail: (message: string, at?: { line: number; column: number }) => RequestListRead,
): RequestListRead {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok)
    return fail(
      `byte 0x${decoded.byte.toString(16).padStart(2, "0")} is not UTF-8: save the list as "CSV UTF-8" (Excel: File › Save As)`,
      decoded.at,
    );
  const text = decoded.text.replace(/^\uFEFF/, "");
  const delimiter = sniffDelimiter(text);
  let records: Array<{ record: string[]; info: { bytes: number } }>;
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
    }) as unknown as Array<{ record: string[]; info: { bytes: number } }>;
  } catch (error) {
    if (error instanceof CsvError) {
      // csv-parse counts a CR LF inside a quoted cell as two lines, and finds an unclosed quote
      // only at the end of the file: the problem is found again here, where it is.
      const found = quoteProblem(text, delimiter);
      const at = found ? positionOf(text, found.offset) : FILE_START;
      const message =
        found?.message ?? error.message.replace(/^[A-Za-z ]+: /, "").replace(/ at line \d+/, "");
      return fail(`${message} (a cell with a comma or a line break is written "like, this")`, at);
    }
    throw error;
  }
  // A row's line is where it starts: one more than the line breaks before it, a CR LF, an LF or
  // a CR each counting as one, as for errors. csv-parse gives each record's end as a byte offset.
  const encoded = Buffer.from(text, "utf8");
  let line = 1;
  let offset = 0;
  const rows = records.map(({ record, info }) => {
    const row = { line, cells: record as Cell[] };
    for (; offset < info.bytes; offset++) {
      const byte = encoded[offset];
      if (byte === 0x0d || (byte === 0x0a && encoded[offset - 1] !== 0x0d)) line++;
    }
    return row;
  });
  return { ok: true, kind: "csv", sheets: [{ path: shown, rows }] };
}

/**
 * The first quoting mistake in a CSV text, as csv-parse reads quotes: where it is (an offset in
 * the text) and how to fix it. Undefined when the quotes are all well formed.
 */
function quoteProblem(
  text: string,
  delimiter: string,
): { offset: number; message: string } | undefined {
  const isBreak = (c: string | undefined) => c === "\n" || c === "\r";
  let i = 0;
  while (i <= text.length) {
    // At the start of a cell.
    if (text[i] === '"') {
      const opened = i;
      i++;
      for (;;) {
        if (i >= text.length)
          return {
            offset: opened,
            message:
              'the quote that opens this cell is never closed: close it, and write a quote inside a quoted cell twice ("")',
          };
        if (text[i] !== '"') i++;
        else if (text[i + 1] === '"') i += 2;
        else break;
      }
      i++; // past the closing quote
      if (i < text.length && !text.startsWith(delimiter, i) && !isBreak(text[i]))
        return {
          offset: i,
          message:
            'text after the closing quote of a cell: a quoted cell ends at its closing quote; write a quote inside it twice ("")',
        };
    } else {
      while (i < text.length && !text.startsWith(delimiter, i) && !isBreak(text[i])) {
        if (text[i] === '"')
          return {
            offset: i,
            message:
              'a quote inside a cell that does not start with one: quote the whole cell and write the quote twice ("like ""this""")',
          };
        i++;
      }
    }
    if (i >= text.length) return undefined;
    if (text.startsWith(delimiter, i)) i += delimiter.length;
    else i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
  }
  return undefined;
}

/** The line and column of an offset in a text: a CR LF, an LF or a CR each end a line. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === "\r" || (c === "\n" && text[i - 1] !== "\r")) {
      line++;
      start = i + 1;
    } else if (c === "\n") start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Comma, semicolon (Excel in much of Europe) or tab: whichever the first line has most of, outside quotes. */
function sniffDelimiter(text: string): string {
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === "\n") break;
    else if (!quoted && c in counts) counts[c]!++;
  }
  const [best, count] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return count > 0 ? best : ",";
}

async function readXlsx(
  bytes: Buffer,
  shown: string,
  fail: (message: string) => RequestListRead,
): Promise<RequestListRead> {
  // exceljs is large: loaded only when a spreadsheet is imported.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return fail(
      "not a readable .xlsx workbook: open it in a spreadsheet and save it as .xlsx again",
    );
  }
  const sheets: RequestSheet[] = workbook.worksheets.map((sheet) => {
    const rows: RequestSheet["rows"] = [];
    sheet.eachRow({ includeEmpty: false }, (row, line) => {
      const cells: Cell[] = [];
      const cellErrors: Array<{ column: number; error: string }> = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        const error = errorOf(cell.value);
        if (error !== undefined) cellErrors.push({ column, error });
        cells[column - 1] = error === undefined ? cellOf(cell.value) : null;
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= null;
      rows.push({ line, cells, ...(cellErrors.length > 0 ? { cellErrors } : {}) });
    });
    return { path: `${shown} (sheet "${sheet.name}")`, sheet: sheet.name, rows };
  });
  return { ok: true, kind: "xlsx", sheets };
}

/** The spreadsheet error a cell holds (#N/A, #REF!…), itself or as its formula's result. */
function errorOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const o = value as { error?: unknown; result?: unknown };
  // Excel writes the few error names there are; a file could write anything, so it is cut short.
  if (o.error !== undefined) return typeof o.error === "string" ? o.error.slice(0, 16) : "#VALUE!";
  return "result" in o ? errorOf(o.result) : undefined;
}

/** A cell's value as the core reads it: formulas by their result, rich text as text, dates as dates. */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? null : { date: value.toISOString().slice(0, 10) };
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  if (typeof value === "object") {
    const o = value as {
      richText?: Array<{ text: string }>;
      result?: unknown;
      text?: unknown;
      error?: unknown;
    };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join("");
    if ("result" in o) return cellOf(o.result);
    if (typeof o.text === "string") return o.text;
  }
  return null;
}
