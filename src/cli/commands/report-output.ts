import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { countBySeverity, type Diagnostic } from "../../core/diagnostics.js";
import { EXIT, UsageError, type Output } from "../output.js";

/** A YYYY-MM-DD option, checked: a real calendar date. */
export function dateOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== value)
    throw new UsageError(`${name} "${value}" is not a date: use YYYY-MM-DD (e.g. 2026-06-30)`);
  return value;
}

/**
 * Writes a report to --out (creating its folder) or to standard output. The report is written
 * even when the repository has validation errors, but the exit status says so.
 */
export async function emitReport(
  text: string,
  what: string,
  options: { out?: string },
  diagnostics: readonly Diagnostic[],
  io: Output,
): Promise<number> {
  if (options.out) {
    const path = resolve(options.out);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, "utf8");
    io.err(`wrote the ${what} to ${path}\n`);
  } else io.out(text);
  const { errors } = countBySeverity(diagnostics);
  if (errors === 0) return EXIT.ok;
  io.err(
    `warning: the repository has ${errors} validation error(s), so the ${what} may be incomplete: run soc2 validate\n`,
  );
  return EXIT.findings;
}
