import type { ExceptionStatus } from "../audit/readiness-exceptions.js";
import { textTable } from "./table.js";

const HEADER = ["Change record", "Type", "Change", "Merged", "Review due", "State", "Response"];

function change(e: ExceptionStatus): string {
  return e.number === undefined ? `${e.repository} (push)` : `${e.repository}#${e.number}`;
}

function response(e: ExceptionStatus): string {
  if (e.response) return `${e.response.path} (${e.response.reviewedOn})`;
  if (e.resolvedBy) return `${e.resolvedBy.kind} ${e.resolvedBy.id} (${e.resolvedBy.on})`;
  return "no response recorded";
}

/** `soc2 exceptions` as a terminal table, with a line that counts them by state. */
export function renderExceptionsText(exceptions: readonly ExceptionStatus[], asOf: string): string {
  const count = (s: ExceptionStatus["state"]) => exceptions.filter((e) => e.state === s).length;
  const summary = `${exceptions.length} exception(s) as of ${asOf}: ${count("open")} open past due, ${count("awaiting-review")} awaiting review, ${count("resolved")} resolved.\n`;
  if (exceptions.length === 0) return summary;
  const rows = exceptions.map((e) => [
    e.id,
    e.type,
    change(e),
    e.mergedAt,
    e.due,
    e.state,
    response(e),
  ]);
  return textTable(HEADER, rows) + "\n" + summary;
}

export function exceptionsJson(exceptions: readonly ExceptionStatus[], asOf: string): unknown {
  return {
    asOf,
    open: exceptions.filter((e) => e.state === "open").length,
    exceptions,
  };
}
