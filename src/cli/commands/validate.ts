import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import pc from "picocolors";
import { evidencePathFromProgram, readRepository } from "../../adapters/read-repository.js";
import { countBySeverity, formatDiagnostic, type Diagnostic } from "../../core/diagnostics.js";
import { validateRepository, type ValidationResult } from "../../core/validate.js";
import { EXIT, parseFormat, type Output, clockOf } from "../output.js";
import { requireDirectory } from "./directory.js";

export async function loadAndValidate(
  dir: string,
  now: Date,
): Promise<ValidationResult & { fileCount: number }> {
  await requireDirectory(dir);
  const files = await readRepository(dir);
  const folder = await stat(join(dir, await evidencePathFromProgram(dir))).catch(() => undefined);
  const evidenceFolderExists = folder?.isDirectory() === true;
  return {
    ...validateRepository(files, { now, evidenceFolderExists }),
    fileCount: files.length,
  };
}

export async function validateCommand(
  dirArg: string | undefined,
  options: { format: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  const dir = resolve(dirArg ?? ".");
  const { diagnostics, fileCount } = await loadAndValidate(dir, clockOf(io));
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
