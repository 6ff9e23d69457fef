import { resolve } from "node:path";
import { assessFrameworkReadiness } from "../../core/audit/framework-readiness.js";
import { assessReadiness } from "../../core/audit/readiness.js";
import { readinessContent } from "../../core/audit/readiness-content.js";
import { isDay } from "../../core/audit/readiness-dates.js";
import { countBySeverity } from "../../core/diagnostics.js";
import {
  readinessJson,
  renderReadinessMarkdown,
  renderReadinessText,
} from "../../core/render/readiness.js";
import {
  frameworkReadinessJson,
  renderFrameworkReadinessMarkdown,
  renderFrameworkReadinessText,
} from "../../core/render/framework-readiness.js";
import { parseFramework } from "./coverage.js";
import { clockOf, EXIT, parseFormat, UsageError, type Output } from "../output.js";
import { loadAndValidate } from "./validate.js";

/** `soc2 readiness`: the gap assessment as of a day. Exit 0 no gaps, 1 gaps, 2 usage error. */
export async function readinessCommand(
  dirArg: string | undefined,
  options: { format: string; asOf?: string; framework?: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "markdown", "json"] as const);
  const framework = parseFramework(options.framework);
  if (options.asOf !== undefined && !isDay(options.asOf))
    throw new UsageError(`--as-of "${options.asOf}" is not a date: use YYYY-MM-DD`);
  const now = clockOf(io);
  const asOf = options.asOf ?? now.toISOString().slice(0, 10);
  const dir = resolve(dirArg ?? ".");
  // Each record streams by and leaves only what the assessment reads of it.
  const { repository, diagnostics } = await loadAndValidate(dir, now, {
    retain: { content: readinessContent },
  });
  if (!repository.program)
    throw new UsageError(
      `${dir} is not a compliance repository (no readable soc2.yml): run soc2 validate, or soc2 init`,
    );
  const report = assessReadiness(repository, { asOf });
  const lens = framework ? assessFrameworkReadiness(repository, report, framework) : undefined;
  if (lens) {
    if (format === "json") io.out(JSON.stringify(frameworkReadinessJson(lens), null, 2) + "\n");
    else if (format === "markdown") io.out(renderFrameworkReadinessMarkdown(lens));
    else io.out(renderFrameworkReadinessText(lens));
  } else if (format === "json") io.out(JSON.stringify(readinessJson(report), null, 2) + "\n");
  else if (format === "markdown") io.out(renderReadinessMarkdown(report));
  else io.out(renderReadinessText(report));
  const { errors } = countBySeverity(diagnostics);
  if (errors > 0)
    io.err(
      `soc2: note: the repository has ${errors} validation error(s); the assessment reads what it can. Run soc2 validate ${dirArg ?? "."} for details.\n`,
    );
  if (lens) return lens.summary.total === lens.summary.ready ? EXIT.ok : EXIT.findings;
  return report.gaps.length === 0 ? EXIT.ok : EXIT.findings;
}
