import { resolve } from "node:path";
import { computeCoverage } from "../../core/coverage.js";
import {
  coverageJson,
  renderCoverageMarkdown,
  renderCoverageText,
} from "../../core/render/coverage.js";
import { EXIT, parseFormat, type Output, clockOf } from "../output.js";
import { loadAndValidate } from "./validate.js";

export async function coverageCommand(
  dirArg: string | undefined,
  options: { format: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "markdown", "json"] as const);
  const { repository } = await loadAndValidate(resolve(dirArg ?? "."), clockOf(io));
  const report = computeCoverage(repository);
  if (format === "json") io.out(JSON.stringify(coverageJson(report), null, 2) + "\n");
  else if (format === "markdown") io.out(renderCoverageMarkdown(report));
  else io.out(renderCoverageText(report));
  return report.rows.some((r) => r.status === "gap") ? EXIT.findings : EXIT.ok;
}
