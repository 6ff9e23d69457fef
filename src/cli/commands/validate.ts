import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import pc from "picocolors";
import { openRepository } from "../../adapters/read-repository.js";
import { countBySeverity, formatDiagnostic, type Diagnostic } from "../../core/diagnostics.js";
import {
  startValidation,
  type ValidateOptions,
  type ValidationResult,
} from "../../core/validate.js";
import { EXIT, parseFormat, type Output, clockOf } from "../output.js";
import { requireDirectory } from "./directory.js";

/**
 * Reads and validates a repository, streaming its evidence records: each is read, checked and
 * reduced to what `retain` keeps before the next ones are read. `soc2 validate` keeps summaries;
 * the reports keep each record's content (default).
 */
export async function loadAndValidate(
  dir: string,
  now: Date,
  options: Pick<ValidateOptions, "retain" | "onRecord"> = {},
): Promise<ValidationResult & { fileCount: number }> {
  await requireDirectory(dir);
  const opened = await openRepository(dir);
  const folder = await stat(join(dir, opened.evidencePath)).catch(() => undefined);
  const validation = startValidation(opened.files, {
    now,
    evidenceFolderExists: folder?.isDirectory() === true,
    reread: opened.reread,
    ...options,
  });
  for await (const record of opened.evidence) validation.addEvidence(record);
  return { ...validation.finish(), fileCount: opened.files.length + opened.evidenceCount };
}

export async function validateCommand(
  dirArg: string | undefined,
  options: { format: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  const dir = resolve(dirArg ?? ".");
  const { diagnostics, fileCount } = await loadAndValidate(dir, clockOf(io), {
    retain: "summary",
  });
  const { errors, warnings } = countBySeverity(diagnostics);
  if (format === "json") {
    io.out(
      JSON.stringify(
        { valid: errors === 0, errors, warnings, files: fileCount, diagnostics },
        null,
        2,
      ) + "\n",
    );
  } else {
    for (const d of diagnostics) io.out(colorize(formatDiagnostic(d), d, io.color) + "\n");
    const summary = `${fileCount} file(s) checked: ${errors} error(s), ${warnings} warning(s)`;
    io.err((errors === 0 ? "✓ " : "✗ ") + summary + "\n");
  }
  return errors === 0 ? EXIT.ok : EXIT.findings;
}

function colorize(line: string, d: Diagnostic, enabled: boolean): string {
  if (!enabled) return line;
  return d.severity === "error"
    ? line.replace(": error:", `: ${pc.red("error")}:`)
    : line.replace(": warning:", `: ${pc.yellow("warning")}:`);
}
