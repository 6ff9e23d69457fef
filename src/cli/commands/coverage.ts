import { resolve } from "node:path";
import { computeCoverage } from "../../core/coverage.js";
import { computeFrameworkCoverage } from "../../core/framework-coverage.js";
import { FRAMEWORK_IDS, isFrameworkId } from "../../core/frameworks/index.js";
import {
  coverageJson,
  renderCoverageMarkdown,
  renderCoverageText,
} from "../../core/render/coverage.js";
import {
  frameworkCoverageJson,
  renderFrameworkCoverageMarkdown,
  renderFrameworkCoverageText,
} from "../../core/render/framework-coverage.js";
import { EXIT, parseFormat, type Output, clockOf, UsageError } from "../output.js";
import { loadAndValidate } from "./validate.js";

export async function coverageCommand(
  dirArg: string | undefined,
  options: { format: string; framework?: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "markdown", "json"] as const);
  const framework = parseFramework(options.framework);
  const { repository } = await loadAndValidate(resolve(dirArg ?? "."), clockOf(io), {
    retain: "summary",
  });
  if (framework) {
    const report = computeFrameworkCoverage(repository, framework);
    if (format === "json") io.out(JSON.stringify(frameworkCoverageJson(report), null, 2) + "\n");
    else if (format === "markdown") io.out(renderFrameworkCoverageMarkdown(report));
    else io.out(renderFrameworkCoverageText(report));
    return report.summary.gap + report.summary.unmapped > 0 ? EXIT.findings : EXIT.ok;
  }
  const report = computeCoverage(repository);
  if (format === "json") io.out(JSON.stringify(coverageJson(report), null, 2) + "\n");
  else if (format === "markdown") io.out(renderCoverageMarkdown(report));
  else io.out(renderCoverageText(report));
  return report.rows.some((r) => r.status === "gap") ? EXIT.findings : EXIT.ok;
}

/** The --framework option: undefined (or "soc2"/"tsc") for the Trust Services Criteria themselves. */
export function parseFramework(value: string | undefined) {
  if (value === undefined || value === "soc2" || value === "tsc") return undefined;
  if (isFrameworkId(value)) return value;
  throw new UsageError(
    `unknown --framework "${value}": use one of ${FRAMEWORK_IDS.join(", ")} (or soc2 for the Trust Services Criteria)`,
  );
}
