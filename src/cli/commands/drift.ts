import { resolve } from "node:path";
import { isDay } from "../../core/audit/readiness-dates.js";
import { escapeControl } from "../../core/diagnostics.js";
import {
  evaluateDrift,
  readDesiredState,
  resolveSnapshots,
  worst,
} from "../../core/monitoring/index.js";
import { renderDriftText } from "../../core/render/drift.js";
import { clockOf, EXIT, parseFormat, UsageError, type Output } from "../output.js";
import { loadAndValidate } from "./validate.js";

/**
 * `soc2 drift [dir]`: re-derives the drift verdict offline, from the settings snapshots stored in
 * the evidence folder and the desired state in soc2.yml, by the same function `soc2 monitor` runs.
 * --as-of takes the latest snapshots captured by the end of that day, to re-derive a past verdict.
 */
export async function driftCommand(
  dirArg: string | undefined,
  options: { format: string; asOf?: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  if (options.asOf !== undefined && !isDay(options.asOf))
    throw new UsageError(`--as-of "${options.asOf}" is not a date: use YYYY-MM-DD`);
  const dir = resolve(dirArg ?? ".");
  const { repository } = await loadAndValidate(dir, clockOf(io));
  if (!repository.program)
    throw new UsageError(
      `${dir} is not a compliance repository (no readable soc2.yml): run soc2 validate, or soc2 init`,
    );
  const { snapshots, problems } = resolveSnapshots(repository.evidence);
  const until = options.asOf ? `${options.asOf}T23:59:59.999Z` : undefined;
  const chosen = until ? snapshots.filter((s) => s.captured_at <= until) : snapshots;
  const drift = evaluateDrift(readDesiredState(repository.program.raw), chosen);
  for (const p of problems)
    io.err(`soc2: ${escapeControl(p.record)}: ${escapeControl(p.message)}\n`);
  if (format === "json")
    io.out(
      JSON.stringify(
        { as_of: options.asOf ?? null, snapshots: chosen.length, problems, drift },
        null,
        2,
      ) + "\n",
    );
  else io.out(renderDriftText(drift));
  return worst(drift.map((d) => d.result)) === "fail" || problems.length > 0
    ? EXIT.findings
    : EXIT.ok;
}
