import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import pc from "picocolors";
import { checkInThreads, defaultThreads } from "../../adapters/check-in-threads.js";
import { openRepository, readSourceSync } from "../../adapters/read-repository.js";
import { LIMITS } from "../../core/limits.js";
import { countBySeverity, formatDiagnostic, type Diagnostic } from "../../core/diagnostics.js";
import {
  startValidation,
  type ValidateOptions,
  type ValidationResult,
} from "../../core/validate.js";
import { EXIT, parseFormat, type Output, clockOf, UsageError } from "../output.js";
import { requireDirectory } from "./directory.js";

/**
 * Reads and validates a repository, streaming its evidence records: each is read, checked and
 * reduced to what `retain` keeps before the next ones are read. `soc2 validate` keeps summaries;
 * the reports keep each record's content (default). Records kept as summaries are checked in
 * worker threads when there are enough of them (`threads`, default one per core up to four).
 */
export async function loadAndValidate(
  dir: string,
  now: Date,
  options: Pick<ValidateOptions, "retain" | "onRecord"> & {
    threads?: number;
    /** Told when a checking thread fails (its records are then checked on the main thread). */
    warn?: (message: string) => void;
  } = {},
): Promise<ValidationResult & { fileCount: number }> {
  await requireDirectory(dir);
  const opened = await openRepository(dir);
  const folder = await stat(join(dir, opened.evidencePath)).catch(() => undefined);
  const evidenceFolderExists = folder?.isDirectory() === true;
  const { threads: asked, warn, ...retention } = options;
  const validation = startValidation(opened.files, {
    now,
    evidenceFolderExists,
    reread: opened.reread,
    ...retention,
  });
  const threads = asked ?? defaultThreads(opened.evidenceCount);
  // A report's onRecord and retention run on each whole record, which stays on this thread.
  if (threads > 1 && options.retain === "summary" && !options.onRecord) {
    const setup = { dir, files: opened.files, now, evidenceFolderExists };
    const checked = checkInThreads(setup, opened.evidencePaths, {
      threads,
      checkHere: (path) =>
        validation.checkEvidence(readSourceSync(dir, path, LIMITS.maxEvidenceFileBytes)),
      reread: opened.reread,
      onThreadFailure: (error) =>
        warn?.(
          `warning: a checking thread stopped (${error.message}); its records were checked on the main thread\n`,
        ),
    });
    for await (const record of checked) validation.addChecked(record);
  } else for await (const record of opened.evidence) validation.addEvidence(record);
  return { ...validation.finish(), fileCount: opened.files.length + opened.evidenceCount };
}

export async function validateCommand(
  dirArg: string | undefined,
  options: { format: string; threads?: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  const threads = options.threads === undefined ? undefined : parseThreads(options.threads);
  const dir = resolve(dirArg ?? ".");
  const { diagnostics, fileCount } = await loadAndValidate(dir, clockOf(io), {
    retain: "summary",
    ...(threads === undefined ? {} : { threads }),
    warn: io.err,
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

/** --threads: a whole number from 1 (check every record on the main thread) to 64. */
function parseThreads(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 64))
    throw new UsageError(
      `--threads "${value}" is not a number of threads: give a whole number from 1 to 64 (1 checks every record on the main thread)`,
    );
  return n;
}

function colorize(line: string, d: Diagnostic, enabled: boolean): string {
  if (!enabled) return line;
  return d.severity === "error"
    ? line.replace(": error:", `: ${pc.red("error")}:`)
    : line.replace(": warning:", `: ${pc.yellow("warning")}:`);
}
