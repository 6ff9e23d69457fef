import { resolve } from "node:path";
import { isDay } from "../../core/audit/readiness-dates.js";
import { assessExceptions } from "../../core/audit/readiness-exceptions.js";
import { readinessContent } from "../../core/audit/readiness-content.js";
import { exceptionsJson, renderExceptionsText } from "../../core/render/exceptions.js";
import { clockOf, EXIT, parseFormat, UsageError, type Output } from "../output.js";
import { loadAndValidate } from "./validate.js";

export interface ExceptionsOptions {
  format: string;
  asOf?: string;
  open?: boolean;
}

/**
 * `soc2 exceptions`: every exception a change record carries, its retrospective review's due date
 * and state as of a day, and management's response. Exit 0 none open past due, 1 some, 2 usage error.
 */
export async function exceptionsCommand(
  dirArg: string | undefined,
  options: ExceptionsOptions,
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  if (options.asOf !== undefined && !isDay(options.asOf))
    throw new UsageError(`--as-of "${options.asOf}" is not a date: use YYYY-MM-DD`);
  const now = clockOf(io);
  const asOf = options.asOf ?? now.toISOString().slice(0, 10);
  const dir = resolve(dirArg ?? ".");
  const { repository } = await loadAndValidate(dir, now, {
    retain: { content: readinessContent },
  });
  if (!repository.program)
    throw new UsageError(
      `${dir} is not a compliance repository (no readable soc2.yml): run soc2 validate, or soc2 init`,
    );
  const all = assessExceptions(repository, asOf);
  const shown = options.open ? all.filter((e) => e.state === "open") : all;
  io.out(
    format === "json"
      ? JSON.stringify(exceptionsJson(shown, asOf), null, 2) + "\n"
      : renderExceptionsText(shown, asOf),
  );
  return all.some((e) => e.state === "open") ? EXIT.findings : EXIT.ok;
}
