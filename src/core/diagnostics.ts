import { ownCopy } from "./detach.js";
/** A finding about one place in one file. Every problem the core reports is one of these. */
export interface Diagnostic {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  /** 1-based line and column. */
  line: number;
  column: number;
  severity: "error" | "warning";
  message: string;
  /** Stable identifier of the check, e.g. unknown-criterion or schema-required. */
  rule: string;
}

export interface Position {
  line: number;
  column: number;
}

export const FILE_START: Position = { line: 1, column: 1 };

export function diagnostic(
  path: string,
  at: Position,
  severity: Diagnostic["severity"],
  rule: string,
  message: string,
): Diagnostic {
  // Own copies: a message quotes values read from a file, and a slice of the file's text would
  // keep the whole text alive for as long as the finding is kept.
  return {
    path: ownCopy(path),
    line: at.line,
    column: at.column,
    severity,
    message: ownCopy(message),
    rule,
  };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    a.rule.localeCompare(b.rule)
  );
}

// Messages quote values and file names from the files checked. A line break in one would let a
// file forge a diagnostic line of its own (say, an "ok" line, or one blaming another file); an ANSI
// escape could recolour or erase the terminal; a bidirectional override could reorder what is
// shown. So every text diagnostic output shows them as visible escapes. JSON output is already safe.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Text with control characters (line breaks, ANSI escapes, bidi overrides) written as escapes, on one line. */
export function escapeControl(text: string): string {
  return text.replace(
    UNSAFE,
    (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `path:line:column: error|warning: message [rule]`, the format editors and CI annotators read. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${escapeControl(d.path)}:${d.line}:${d.column}: ${d.severity}: ${diagnosticMessage(d)}`;
}

/** `message [rule]`, escaped: the text of an annotation, whose file and position are separate. */
export function diagnosticMessage(d: Pick<Diagnostic, "message" | "rule">): string {
  return `${escapeControl(d.message)} [${escapeControl(d.rule)}]`;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): {
  errors: number;
  warnings: number;
} {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === "error") errors++;
  return { errors, warnings: diagnostics.length - errors };
}
