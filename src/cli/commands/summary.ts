import { resolve } from "node:path";
import { renderHtml, renderMarkdown } from "../../core/audit/report-document.js";
import { publicSummary, summaryDocument } from "../../core/audit/summary.js";
import { parseFormat, UsageError, type Output, clockOf } from "../output.js";
import { emitReport } from "./report-output.js";
import { loadAndValidate } from "./validate.js";

/**
 * `soc2 summary [dir]`: a public control summary (SOC 3 style, not a SOC 3 report): the
 * organization, the system, the categories in scope, the control areas by criteria family and
 * the coverage per category, with no test details or evidence.
 */
export async function summaryCommand(
  dirArg: string | undefined,
  options: { format: string; out?: string },
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["markdown", "html"] as const);
  const dir = resolve(dirArg ?? ".");
  const { repository, diagnostics } = await loadAndValidate(dir, clockOf(io), {
    retain: "summary",
  });
  if (!repository.program)
    throw new UsageError(`${dir} has no soc2.yml: pass the folder of a compliance repository`);
  const document = summaryDocument(publicSummary(repository));
  const text = format === "html" ? renderHtml(document) : renderMarkdown(document);
  return emitReport(text, "public control summary", options, diagnostics, io);
}
