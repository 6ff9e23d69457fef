import { resolve } from "node:path";
import { renderHtml, renderMarkdown } from "../../core/audit/report-document.js";
import { type1Document, type2Document } from "../../core/audit/report-render.js";
import {
  type1Report,
  type2Report,
  type Type1Report,
  type Type2Report,
} from "../../core/audit/report.js";
import { parseFormat, UsageError, type Output, clockOf } from "../output.js";
import { dateOption, emitReport } from "./report-output.js";
import { loadAndValidate } from "./validate.js";
import { changeItemOf, inMergeOrder, type ChangeItem } from "../../core/audit/population.js";
import { readinessContent } from "../../core/audit/readiness-content.js";
import { detach } from "../../core/detach.js";

export interface ReportOptions {
  type: string;
  asOf?: string;
  from?: string;
  to?: string;
  format: string;
  out?: string;
}

/**
 * `soc2 report [dir] --type 1|2`: management's Type 1 description of the system and its controls
 * at a date, or a Type 2 account of their operation across a period, from the repository alone.
 * Dates come from the options or soc2.yml, never the clock: the same repository and options give
 * the same bytes.
 */
export async function reportCommand(
  dirArg: string | undefined,
  options: ReportOptions,
  io: Output,
): Promise<number> {
  const format = parseFormat(options.format, ["markdown", "html", "json"] as const);
  if (options.type !== "1" && options.type !== "2")
    throw new UsageError(
      `unknown --type "${options.type}": use 1 (design at a date) or 2 (operation over a period)`,
    );
  const asOf = dateOption("--as-of", options.asOf);
  const from = dateOption("--from", options.from);
  const to = dateOption("--to", options.to);
  if (options.type === "1" && (from || to))
    throw new UsageError("--from and --to are for --type 2; a Type 1 description takes --as-of");
  if (options.type === "2" && asOf)
    throw new UsageError("--as-of is for --type 1; a Type 2 account takes --from and --to");

  const dir = resolve(dirArg ?? ".");
  // Each record streams by, leaving the fields the account reads and its population row.
  const population: ChangeItem[] = [];
  const { repository, diagnostics } = await loadAndValidate(dir, clockOf(io), {
    retain: { content: readinessContent },
    onRecord: (record) => {
      const change = options.type === "2" ? changeItemOf(record) : undefined;
      if (change) population.push(detach(change));
    },
  });
  const program = repository.program;
  if (!program)
    throw new UsageError(`${dir} has no soc2.yml: pass the folder of a compliance repository`);

  let report: Type1Report | Type2Report;
  if (options.type === "1") {
    const date = asOf ?? program.audit.asOf ?? program.audit.period?.end;
    if (!date)
      throw new UsageError(
        "no date for the description: pass --as-of YYYY-MM-DD, or set audit.as_of in soc2.yml",
      );
    report = type1Report(
      repository,
      date,
      asOf ? "option" : program.audit.asOf ? "audit.as_of" : "audit.period.end",
    );
  } else {
    const first = from ?? program.audit.period?.start;
    const last = to ?? program.audit.period?.end;
    if (!first || !last)
      throw new UsageError(
        "no period for the account: pass --from and --to (YYYY-MM-DD), or set audit.period in soc2.yml",
      );
    if (first > last) throw new UsageError(`the period starts (${first}) after it ends (${last})`);
    report = type2Report(
      repository,
      { from: first, to: last },
      from || to ? "option" : "audit.period",
      clockOf(io).toISOString().slice(0, 10),
      inMergeOrder(population),
    );
  }
  const document = report.type === 1 ? type1Document(report) : type2Document(report);
  const text =
    format === "json"
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === "html"
        ? renderHtml(document)
        : renderMarkdown(document);
  return emitReport(text, `Type ${report.type} report`, options, diagnostics, io);
}
