import type { FrameworkCoverageReport, FrameworkCoverageStatus } from "../framework-coverage.js";
import { markdownTable, textTable } from "./table.js";

const LABEL: Record<FrameworkCoverageStatus, string> = {
  covered: "covered",
  planned: "planned",
  gap: "GAP",
  unmapped: "unmapped",
};

const HEADER = ["Control", "Status", "Program controls", "Criteria (crosswalk)", "Title"];

/** A list cut to its first few items for a terminal table: "A, B, C, D, +3 more". */
export function shortList(items: readonly string[], max = 4): string {
  if (items.length === 0) return "-";
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown}, +${items.length - max} more` : shown;
}

function rows(report: FrameworkCoverageReport, max?: number): string[][] {
  return report.rows.map((r) => [
    r.control.id,
    LABEL[r.status],
    shortList(
      r.controls.map((c) => {
        const how = c.direct ? "direct" : "";
        const status = c.status === "implemented" ? "" : c.status;
        const note = [status, how].filter(Boolean).join(", ");
        return note ? `${c.id} (${note})` : c.id;
      }),
      max,
    ),
    r.criteria.join(", ") || "-",
    r.control.title || "(cited; not in this project's list)",
  ]);
}

function summaryLine(report: FrameworkCoverageReport): string {
  const s = report.summary;
  return `${s.total} ${report.framework.name} controls: ${s.covered} covered, ${s.planned} planned, ${s.gap} gap(s), ${s.unmapped} unmapped`;
}

function notCovered(report: FrameworkCoverageReport): string {
  const open = report.rows.filter((r) => r.status === "gap" || r.status === "unmapped");
  return open.length === 0
    ? "Every listed control is covered or planned.\n"
    : `Not covered: ${open.map((r) => r.control.id).join(", ")}\n` +
        (open.some((r) => r.status === "unmapped")
          ? "Unmapped controls have no crosswalk relationship: cite them under frameworks: in a control that meets them.\n"
          : "");
}

export function renderFrameworkCoverageText(report: FrameworkCoverageReport): string {
  return [
    `Coverage of ${report.framework.name} through the crosswalk\n`,
    textTable(HEADER, rows(report, 4)),
    `${summaryLine(report)}\n${notCovered(report)}`,
  ].join("\n");
}

export function renderFrameworkCoverageMarkdown(report: FrameworkCoverageReport): string {
  return [
    `# Coverage of ${report.framework.name}\n`,
    `${summaryLine(report)}.\n`,
    markdownTable(HEADER, rows(report, Number.MAX_SAFE_INTEGER)),
  ].join("\n");
}

export function frameworkCoverageJson(report: FrameworkCoverageReport): unknown {
  return {
    framework: report.framework,
    summary: report.summary,
    controls: report.rows.map((r) => ({
      id: r.control.id,
      title: r.control.title,
      group: r.control.group,
      status: r.status,
      criteria: r.criteria,
      controls: r.controls,
    })),
  };
}
