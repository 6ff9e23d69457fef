import type { CoverageReport, CoverageStatus } from "../coverage.js";
import { markdownTable, textTable } from "./table.js";

const STATUS_LABEL: Record<CoverageStatus, string> = {
  covered: "covered",
  planned: "planned",
  "not-applicable": "n/a",
  gap: "GAP",
};

function rows(report: CoverageReport): string[][] {
  return report.rows.map((r) => [
    r.criterion.id,
    STATUS_LABEL[r.status],
    r.status === "not-applicable"
      ? `not applicable: ${r.justification ?? ""}`
      : r.controls
          .map((c) => (c.status === "implemented" ? c.id : `${c.id} (${c.status})`))
          .join(", ") || "-",
    r.criterion.title,
  ]);
}

function summaryRows(report: CoverageReport): string[][] {
  return report.summary.map((s) => [
    s.name,
    String(s.total),
    String(s.covered),
    String(s.planned),
    String(s.notApplicable),
    String(s.gaps),
  ]);
}

const SUMMARY_HEADER = ["Category", "Criteria", "Covered", "Planned", "N/A", "Gaps"];
const HEADER = ["Criterion", "Status", "Controls", "Title"];

export function renderCoverageText(report: CoverageReport): string {
  const gaps = report.rows.filter((r) => r.status === "gap").map((r) => r.criterion.id);
  return [
    textTable(HEADER, rows(report)),
    textTable(SUMMARY_HEADER, summaryRows(report)),
    gaps.length === 0
      ? "No coverage gaps.\n"
      : `${gaps.length} coverage gap(s): ${gaps.join(", ")}\n`,
  ].join("\n");
}

export function renderCoverageMarkdown(report: CoverageReport): string {
  return [
    "# Criteria coverage\n",
    markdownTable(SUMMARY_HEADER, summaryRows(report)),
    markdownTable(HEADER, rows(report)),
  ].join("\n");
}

export function coverageJson(report: CoverageReport): unknown {
  return {
    categories: report.categories,
    summary: report.summary,
    criteria: report.rows.map((r) => ({
      id: r.criterion.id,
      category: r.criterion.category,
      title: r.criterion.title,
      status: r.status,
      controls: r.controls,
      ...(r.justification === undefined ? {} : { justification: r.justification }),
    })),
  };
}
