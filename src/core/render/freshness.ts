import { intervalStrip, type ControlFreshness } from "../audit/freshness.js";

/** Marks shown in a terminal or Markdown cell: a daily control over a year would have 365. */
export const STRIP_MARKS = 26;

export const FRESHNESS_HEADER = [
  "Control",
  "Frequency",
  "Last evidence",
  "Next due",
  "Overdue",
  "Ended intervals",
];

export const FRESHNESS_LEGEND = `Ended intervals: one mark per interval of the audit period that has ended by the as-of date, oldest first (■ with evidence, □ without; the last ${STRIP_MARKS} after … when there are more), then how many have evidence; per-occurrence controls have none (soc2 reconcile checks that every change has a record).\n`;

/** The intervals cell: the strip and the count, or why there is none. */
export function intervalsCell(f: ControlFreshness): string {
  if (f.note === "per-occurrence") return "n/a (per occurrence)";
  if (f.intervals.length === 0) return f.notEnded > 0 ? "none ended yet" : "-";
  const strip = intervalStrip(f);
  const shown = strip.length > STRIP_MARKS ? `…${strip.slice(-STRIP_MARKS)}` : strip;
  return `${shown} ${f.evidenced}/${f.intervals.length}`;
}

export function freshnessRows(freshness: readonly ControlFreshness[]): string[][] {
  return freshness.map((f) => [
    f.id,
    f.frequency,
    f.last ? `${f.last.on} (${f.last.kind})` : "never",
    f.due ?? "-",
    f.status !== "implemented" ? `- (${f.status})` : f.overdue ? "OVERDUE" : "no",
    intervalsCell(f),
  ]);
}
