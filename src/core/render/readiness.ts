import {
  PROBLEMS,
  type CategoryReadiness,
  type ReadinessProblem,
  type ReadinessReport,
} from "../audit/readiness.js";
import { freshnessRows, FRESHNESS_HEADER, FRESHNESS_LEGEND } from "./freshness.js";
import { markdownTable, textTable } from "./table.js";

export const SCORE_DEFINITION =
  "applicable criteria addressed by at least one ready control (implemented, evidence fresh for its frequency, no gap), as a percentage of the applicable criteria, rounded down";

const SCORE_HEADER = ["Category", "Criteria", "Applicable", "Covered", "Ready", "Score"];
const GAP_HEADER = ["Gap", "Subject", "Due", "Detail"];
const CONTROL_HEADER = ["Control", "State", "Frequency", "Max age", "Latest evidence", "In period"];
const POLICY_HEADER = ["Policy", "Cadence", "Last reviewed", "Next review due", "Status"];
const EXCEPTION_HEADER = ["Change record", "Type", "Merged", "Review due", "State", "Resolved by"];

const percent = (score: number | null) => (score === null ? "n/a" : `${score}%`);

function scoreRows(report: ReadinessReport): string[][] {
  const row = (name: string, c: Omit<CategoryReadiness, "category" | "name">) => [
    name,
    String(c.criteria),
    String(c.applicable),
    String(c.covered),
    String(c.ready),
    percent(c.score),
  ];
  return [
    ...report.categories.map((c) => row(c.name, c)),
    ...(report.categories.length > 1 ? [row("All in scope", report.overall)] : []),
  ];
}

/** Where the assessment stands and what "the period" means for it. */
export function describeBasis(report: ReadinessReport): string {
  const b = report.basis;
  const own = `each control needs evidence within its maximum age before ${report.asOf}`;
  if (b.kind === "audit-period")
    return `Type 2 audit period ${b.start} to ${b.end}, assessed up to ${b.assessedTo}`;
  if (b.reason === "period-not-started")
    return `The audit period ${b.period!.start} to ${b.period!.end} has not started: ${own}`;
  if (b.reason === "type-1") return `Type 1: ${own}`;
  return `No Type 2 audit period in soc2.yml: ${own}`;
}

function title(report: ReadinessReport): string {
  const who = report.system
    ? `${report.system}${report.organization ? ` (${report.organization})` : ""}`
    : report.organization || "the compliance repository";
  return `Readiness of ${who} as of ${report.asOf}`;
}

function gapRows(report: ReadinessReport, withPath: boolean): string[][] {
  return report.gaps.map((g) => [
    g.problem,
    g.subject,
    ...(withPath ? [g.path ?? "-"] : []),
    g.due ?? "-",
    g.message,
  ]);
}

function controlRows(report: ReadinessReport): string[][] {
  return report.controls.map((c) => [
    c.id,
    c.state,
    c.frequency,
    `${c.maxAgeDays} d`,
    c.latest ? `${c.latest.on} (${c.latest.ageDays} d, ${c.latest.kind})` : "-",
    c.status === "implemented" ? String(c.recordsInPeriod) : "-",
  ]);
}

function policyRows(report: ReadinessReport): string[][] {
  return report.policies.map((p) => [
    p.id,
    p.reviewCadence ?? "-",
    p.lastReviewed ?? "-",
    p.due ?? "-",
    p.draft ? "DRAFT" : p.overdue ? "OVERDUE" : "ok",
  ]);
}

function exceptionRows(report: ReadinessReport): string[][] {
  return report.exceptions.map((e) => [
    e.id,
    e.type,
    e.mergedAt,
    e.due,
    e.state,
    e.resolvedBy ? `${e.resolvedBy.id} (${e.resolvedBy.on})` : "-",
  ]);
}

/** `N gap(s): 3 no-evidence-in-period, 1 policy-review-overdue`, or that there are none. */
export function gapSummary(report: ReadinessReport): string {
  if (report.gaps.length === 0) return "No gaps: ready for the audit.";
  const counts = (Object.keys(PROBLEMS) as ReadinessProblem[])
    .map((p) => [p, report.gaps.filter((g) => g.problem === p).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} ${p}`);
  return `${report.gaps.length} gap(s): ${counts.join(", ")}`;
}

export function renderReadinessText(report: ReadinessReport): string {
  const parts = [
    `${title(report)}\n${describeBasis(report)}\n`,
    textTable(SCORE_HEADER, scoreRows(report)) + `Score: ${SCORE_DEFINITION}.\n`,
    textTable(CONTROL_HEADER, controlRows(report)),
  ];
  if (report.freshness.length > 0)
    parts.push(textTable(FRESHNESS_HEADER, freshnessRows(report.freshness)) + FRESHNESS_LEGEND);
  if (report.exceptions.length > 0) parts.push(textTable(EXCEPTION_HEADER, exceptionRows(report)));
  if (report.gaps.length > 0) parts.push(textTable(GAP_HEADER, gapRows(report, false)));
  parts.push(gapSummary(report) + "\n");
  return parts.join("\n");
}

export function renderReadinessMarkdown(report: ReadinessReport): string {
  const parts = [
    `# ${title(report)}\n`,
    `${describeBasis(report)}. ${gapSummary(report).replace(/\.?$/, ".")}\n`,
    `## Score per category\n`,
    markdownTable(SCORE_HEADER, scoreRows(report)),
    `Score: ${SCORE_DEFINITION}.\n`,
    `## Gaps\n`,
    report.gaps.length === 0
      ? "No gaps.\n"
      : markdownTable(["Gap", "Subject", "File", "Due", "Detail"], gapRows(report, true)),
    `## Controls\n`,
    report.controls.length === 0
      ? "No controls address an in-scope criterion.\n"
      : markdownTable(CONTROL_HEADER, controlRows(report)),
    `## Freshness\n`,
    report.freshness.length === 0
      ? "No controls.\n"
      : markdownTable(FRESHNESS_HEADER, freshnessRows(report.freshness)) + FRESHNESS_LEGEND,
    `## Policies\n`,
    report.policies.length === 0
      ? "No policies.\n"
      : markdownTable(POLICY_HEADER, policyRows(report)),
    `## Exceptions\n`,
    report.exceptions.length === 0
      ? "No change record carries an exception.\n"
      : markdownTable(EXCEPTION_HEADER, exceptionRows(report)),
  ];
  return parts.join("\n");
}

export function readinessJson(report: ReadinessReport): unknown {
  return {
    ready: report.gaps.length === 0,
    asOf: report.asOf,
    organization: report.organization,
    system: report.system,
    ...(report.auditType ? { auditType: report.auditType } : {}),
    basis: report.basis,
    scoreDefinition: SCORE_DEFINITION,
    categories: report.categories,
    overall: report.overall,
    gapCount: report.gaps.length,
    gaps: report.gaps,
    controls: report.controls,
    policies: report.policies,
    exceptions: report.exceptions,
    freshness: report.freshness,
  };
}
