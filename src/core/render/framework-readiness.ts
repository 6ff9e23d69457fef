import type { FrameworkReadinessReport } from "../audit/framework-readiness.js";
import { shortList } from "./framework-coverage.js";
import { markdownTable, textTable } from "./table.js";

const HEADER = ["Control", "State", "Program controls (state)", "Title"];

function rows(report: FrameworkReadinessReport, max: number): string[][] {
  return report.rows.map((r) => [
    r.id,
    r.state,
    shortList(
      r.controls.map((c) => `${c.id} (${c.state})`),
      max,
    ),
    r.title || "(cited; not in this project's list)",
  ]);
}

function summary(report: FrameworkReadinessReport): string {
  const s = report.summary;
  return `${s.total} ${report.framework.name} controls as of ${report.asOf}: ${s.ready} ready, ${s["not-ready"]} not ready, ${s.gap} gap(s), ${s.unmapped} unmapped; score ${s.score ?? "-"}%`;
}

export function renderFrameworkReadinessText(report: FrameworkReadinessReport): string {
  return `Readiness through ${report.framework.name}\n\n${textTable(HEADER, rows(report, 3))}\n${summary(report)}\n`;
}

export function renderFrameworkReadinessMarkdown(report: FrameworkReadinessReport): string {
  return `# Readiness through ${report.framework.name}\n\n${summary(report)}.\n\n${markdownTable(HEADER, rows(report, Number.MAX_SAFE_INTEGER))}`;
}

export function frameworkReadinessJson(report: FrameworkReadinessReport): unknown {
  return report;
}
