import { findCriterion } from "../criteria.js";
import { diagnostic, FILE_START, type Diagnostic } from "../diagnostics.js";
import {
  cellText,
  controlIdsIn,
  criteriaIn,
  parseDate,
  parseSample,
  type Cell,
  type DateOrder,
} from "./cells.js";
import {
  columnLetter,
  exampleHeaders,
  FIELD_LABEL,
  fieldOfHeader,
  type RequestField,
} from "./columns.js";

/** One row of a request list: its line (CSV) or row number (spreadsheet), and its cells. */
export interface SheetRow {
  line: number;
  cells: Cell[];
  /** Spreadsheet error values (#N/A, #REF!, a formula's #DIV/0!) by column from 1; their cells are null. */
  cellErrors?: Array<{ column: number; error: string }>;
}

/** A request list as an adapter read it: the name to report it by and its rows in order. */
export interface RequestSheet {
  path: string;
  /** A spreadsheet's worksheet name (the path names it too); absent for a CSV. */
  sheet?: string;
  rows: SheetRow[];
}

/** One request as the list states it. */
export interface ImportedRequest {
  /** Usable as a file name; `reference` keeps the list's own spelling when it differs. */
  id: string;
  reference?: string;
  description: string;
  criteria: string[];
  due?: string;
  sample?: boolean;
  /** Control IDs the list names (a Control column, or the description). */
  controls: string[];
  line: number;
}

export interface ParsedRequestList {
  requests: ImportedRequest[];
  /** The columns understood: which field each header was read as. */
  columns: Array<{ field: RequestField; header: string; column: number }>;
  /** Columns the import does not read (owner, status, comments…). */
  ignored: Array<{ header: string; column: number }>;
  headerLine?: number;
  /** Slashed dates that read as a date both ways (03/04/2026), read as the date order says. */
  ambiguousDates: number;
  diagnostics: Diagnostic[];
}

/**
 * The most a cell may hold: a request is a few sentences, and a request file over 1 MiB is not
 * read. A bigger cell is a pasted attachment or a wrong file.
 */
export const MAX_CELL_BYTES = 64 * 1024;

/** The header is looked for in the first rows: lists often start with a title and the client's name. */
const HEADER_SEARCH_ROWS = 20;

const blank = (row: SheetRow) => row.cells.every((c) => cellText(c) === "");

/**
 * Reads an auditor's request list: finds the header row, maps its columns to fields by the names
 * real lists use, and reads each request. Every problem names the row and column and how to fix
 * it; a row with an error is left out. Never throws on bad data.
 */
export function parseRequestList(
  sheet: RequestSheet,
  options: { dateOrder: DateOrder },
): ParsedRequestList {
  const out: ParsedRequestList = {
    requests: [],
    columns: [],
    ignored: [],
    ambiguousDates: 0,
    diagnostics: [],
  };
  const problem = (
    at: { line: number; column: number },
    message: string,
    severity: Diagnostic["severity"] = "error",
  ) => out.diagnostics.push(diagnostic(sheet.path, at, severity, "request-list", message));

  // A cell too large for a request file is an error wherever it is; its row is left out.
  const rejected = new Set<SheetRow>();
  for (const row of sheet.rows)
    row.cells.forEach((cell, i) => {
      const bytes = typeof cell === "string" ? utf8Length(cell) : 0;
      if (bytes <= MAX_CELL_BYTES) return;
      rejected.add(row);
      problem(
        { line: row.line, column: i + 1 },
        `row ${row.line}, column ${columnLetter(i + 1)}: the cell holds ${bytes.toLocaleString("en-US")} bytes, over the 64 KiB (${MAX_CELL_BYTES.toLocaleString("en-US")} bytes) a cell may hold: shorten it (a request is a few sentences; attach long text as a file instead)`,
      );
    });

  const headerIndex = sheet.rows
    .slice(0, HEADER_SEARCH_ROWS)
    .findIndex(
      (row) => new Set(row.cells.map((c) => fieldOfHeader(cellText(c))).filter(Boolean)).size >= 2,
    );
  if (headerIndex < 0) {
    problem(
      sheet.rows[0] ? { line: sheet.rows[0].line, column: 1 } : FILE_START,
      `no header row in the first ${HEADER_SEARCH_ROWS} rows: the list needs a row naming its columns, at least a request ID (${exampleHeaders("id")}) and a description (${exampleHeaders("description")})`,
    );
    return out;
  }
  const header = sheet.rows[headerIndex]!;
  out.headerLine = header.line;
  const columnOf = new Map<RequestField, number>();
  header.cells.forEach((cell, i) => {
    const text = cellText(cell);
    if (text === "") return;
    const field = fieldOfHeader(text);
    if (field && !columnOf.has(field)) {
      columnOf.set(field, i);
      out.columns.push({ field, header: text, column: i + 1 });
    } else {
      out.ignored.push({ header: text, column: i + 1 });
      if (field)
        problem(
          { line: header.line, column: i + 1 },
          `column ${columnLetter(i + 1)} ("${text}") is a second ${FIELD_LABEL[field]} column: only column ${columnLetter(columnOf.get(field)! + 1)} is read`,
          "warning",
        );
    }
  });
  for (const field of ["id", "description"] as const)
    if (!columnOf.has(field))
      problem(
        { line: header.line, column: 1 },
        `no ${FIELD_LABEL[field]} column in the header row: name one ${exampleHeaders(field)}`,
      );
  if (!columnOf.has("id") || !columnOf.has("description")) return out;

  const fieldAt = new Map([...columnOf].map(([field, i]) => [i + 1, field]));
  const seen = new Map<string, number>();
  for (const row of sheet.rows.slice(headerIndex + 1)) {
    if (rejected.has(row)) continue;
    // An error value is no value: the row is left out rather than read without it. Columns the
    // import does not read may hold errors.
    const errors = (row.cellErrors ?? []).filter((e) => fieldAt.has(e.column));
    for (const { column, error } of errors)
      problem(
        { line: row.line, column },
        `row ${row.line}, column ${columnLetter(column)} (${FIELD_LABEL[fieldAt.get(column)!]}): the cell holds the spreadsheet error ${error}: fix the formula or type the value`,
      );
    if (errors.length > 0 || blank(row)) continue;
    const cell = (field: RequestField) => {
      const i = columnOf.get(field);
      return i === undefined ? null : (row.cells[i] ?? null);
    };
    const at = (field: RequestField) => ({ line: row.line, column: columnOf.get(field)! + 1 });
    const where = (field: RequestField) =>
      `row ${row.line}, column ${columnLetter(columnOf.get(field)! + 1)} (${FIELD_LABEL[field]})`;
    let ok = true;
    const fail = (field: RequestField, message: string) => {
      ok = false;
      problem(at(field), `${where(field)}: ${message}`);
    };

    const reference = cellText(cell("id"));
    const id = fileSafeId(reference);
    if (reference === "") fail("id", "no request ID: give every request an ID, or delete the row");
    else if (id === "")
      fail(
        "id",
        `"${reference}" has no letter or digit to name a file by: use an ID such as PBC-01`,
      );
    else {
      const first = seen.get(id.toLowerCase());
      if (first !== undefined)
        fail(
          "id",
          `request ID "${reference}" is also on row ${first}: give each request its own ID`,
        );
      else seen.set(id.toLowerCase(), row.line);
    }
    const description = cellText(cell("description"));
    if (description === "") fail("description", "no description: say what is requested");

    const criteriaText = columnOf.has("criteria") ? cellText(cell("criteria")) : "";
    const named = criteriaIn(criteriaText);
    const criteria = named.filter((c) => findCriterion(c));
    for (const c of named)
      if (!findCriterion(c))
        problem(
          at("criteria"),
          `${where("criteria")}: "${c}" is not a Trust Services criterion; left out (see \`soc2 criteria\`)`,
          "warning",
        );
    if (criteriaText !== "" && named.length === 0)
      problem(
        at("criteria"),
        `${where("criteria")}: no criterion ID in "${criteriaText}": write IDs such as CC8.1; none recorded`,
        "warning",
      );

    let due: string | undefined;
    if (columnOf.has("due")) {
      const parsed = parseDate(cell("due"), options.dateOrder);
      if (!parsed.ok) fail("due", parsed.problem);
      else {
        due = parsed.value;
        if (parsed.ambiguous) out.ambiguousDates++;
      }
    }
    let sample: boolean | undefined;
    if (columnOf.has("sample")) {
      const parsed = parseSample(cell("sample"));
      if (!parsed.ok) fail("sample", parsed.problem);
      else sample = parsed.value;
    }
    const controls = [
      ...new Set([...controlIdsIn(cellText(cell("controls"))), ...controlIdsIn(description)]),
    ];
    if (!ok) continue;
    out.requests.push({
      id,
      ...(id !== reference ? { reference } : {}),
      description,
      criteria,
      ...(due ? { due } : {}),
      ...(sample === undefined ? {} : { sample }),
      controls,
      line: row.line,
    });
  }
  if (out.requests.length === 0 && out.diagnostics.every((d) => d.severity !== "error"))
    problem({ line: header.line, column: 1 }, "the list has a header row but no request under it");
  return out;
}

/** An ID usable as a file name: "PBC #14" becomes "PBC-14"; at most 64 characters. */
export function fileSafeId(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 64);
}

/** The UTF-8 length of a text, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
