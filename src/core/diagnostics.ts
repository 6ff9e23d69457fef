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
  return { path, line: at.line, column: at.column, severity, message, rule };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    a.rule.localeCompare(b.rule)
  );
}

/** `path:line:column: error|warning: message [rule]`, the format editors and CI annotators read. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.path}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): {
  errors: number;
  warnings: number;
} {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === "error") errors++;
  return { errors, warnings: diagnostics.length - errors };
}
