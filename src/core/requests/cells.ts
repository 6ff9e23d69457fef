/**
 * A cell of a request list as an adapter hands it over: text (every CSV cell, a spreadsheet's text
 * cell), a number, a boolean, or a date (a spreadsheet's date cell, already YYYY-MM-DD).
 */
export type Cell = string | number | boolean | { date: string } | null;

/** How a slashed date such as 03/04/2026 is read: month first (US) or day first. */
export type DateOrder = "mdy" | "dmy";

export type Parsed<T> =
  { ok: true; value: T | undefined; ambiguous?: boolean } | { ok: false; problem: string };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** The cell as plain text, trimmed ("" for an empty cell). Whole numbers lose Excel's ".0". */
export function cellText(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell === "object") return cell.date;
  return String(cell).trim();
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return d.toISOString().slice(0, 10);
}

/** Excel counts days from 1899-12-30 (its 1900 leap-year bug included): 46249 is 2026-08-15. */
function excelSerial(n: number): string | undefined {
  if (!Number.isFinite(n) || n < 20000 || n > 100000) return undefined;
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(n) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A due date in the forms request lists use: YYYY-MM-DD (a time after it is dropped), a
 * spreadsheet's date cell or date serial number, M/D/YYYY or D/M/YYYY as `order` says (a date
 * both ways readable is flagged ambiguous), and month names (15 Aug 2026, Aug 15, 2026).
 */
export function parseDate(cell: Cell, order: DateOrder): Parsed<string> {
  if (cell === null || cell === "") return { ok: true, value: undefined };
  if (typeof cell === "object") return { ok: true, value: cell.date };
  if (typeof cell === "number") {
    const value = excelSerial(cell);
    return value
      ? { ok: true, value }
      : { ok: false, problem: `${cell} is not a date: write it as YYYY-MM-DD` };
  }
  const text = String(cell).trim();
  if (text === "") return { ok: true, value: undefined };
  const bad = (why = "") => ({
    ok: false as const,
    problem: `"${text}" is not a date${why}: write it as YYYY-MM-DD`,
  });
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  if (m) {
    const value = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return value ? { ok: true, value } : bad(" (no such day)");
  }
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m) {
    const [a, b, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [month, day] = order === "mdy" ? [a, b] : [b, a];
    const value = isoDate(year, month, day);
    if (!value) {
      const other = order === "mdy" ? "dmy" : "mdy";
      return isoDate(year, order === "mdy" ? b : a, order === "mdy" ? a : b)
        ? {
            ok: false,
            problem: `"${text}" is not a date ${order === "mdy" ? "month first (M/D/YYYY)" : "day first (D/M/YYYY)"}, as --date-order ${order} reads it: import with --date-order ${other} if the list writes ${order === "mdy" ? "the day" : "the month"} first, or write it as YYYY-MM-DD`,
          }
        : bad(" (no such day)");
    }
    return { ok: true, value, ...(a <= 12 && b <= 12 && a !== b ? { ambiguous: true } : {}) };
  }
  const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
  m = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -,]+(\d{4})$/.exec(text);
  if (m && month(m[2]!) > 0) {
    const value = isoDate(Number(m[3]), month(m[2]!), Number(m[1]));
    return value ? { ok: true, value } : bad(" (no such day)");
  }
  m = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(text);
  if (m && month(m[1]!) > 0) {
    const value = isoDate(Number(m[3]), month(m[1]!), Number(m[2]));
    return value ? { ok: true, value } : bad(" (no such day)");
  }
  return bad();
}

const YES = new Set([
  "yes",
  "y",
  "true",
  "x",
  "1",
  "sample",
  "samples",
  "required",
  "samplerequired",
  "✓",
  "✔",
]);
const NO = new Set([
  "no",
  "n",
  "false",
  "0",
  "-",
  "na",
  "population",
  "none",
  "notrequired",
  "norequired",
]);

/** Whether a sample is needed: yes/no, true/false, x, "Sample" or "Population"; empty says nothing. */
export function parseSample(cell: Cell): Parsed<boolean> {
  if (typeof cell === "boolean") return { ok: true, value: cell };
  const text = cellText(cell);
  if (text === "") return { ok: true, value: undefined };
  const key = text.toLowerCase().replace(/[^a-z0-9✓✔-]/g, "");
  if (YES.has(key)) return { ok: true, value: true };
  if (NO.has(key)) return { ok: true, value: false };
  return {
    ok: false,
    problem: `"${text}" does not say whether a sample is needed: write yes or no (or Sample / Population)`,
  };
}

const CRITERION = /\b(CC ?[1-9]|A1|C1|PI1|P[1-8])\s?\.\s?(\d{1,2})\b/gi;

/** The criterion IDs a cell names ("CC8.1, CC7.2; A1.2"), upper-cased, each once, in order. */
export function criteriaIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CRITERION)) {
    const id = `${m[1]!.toUpperCase().replace(" ", "")}.${Number(m[2])}`;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

const CONTROL_ID = /\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b/g;

/** Words shaped like control IDs (CHG-01) in a text. */
export function controlIdsIn(text: string): string[] {
  return [...new Set(text.match(CONTROL_ID) ?? [])];
}
