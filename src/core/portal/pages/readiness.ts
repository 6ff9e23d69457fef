import {
  PROBLEMS,
  type CategoryReadiness,
  type ReadinessGap,
  type ReadinessProblem,
  type ReadinessReport,
} from "../../audit/readiness.js";
import { describeBasis, SCORE_DEFINITION } from "../../render/readiness.js";
import type { PortalContext } from "../context.js";
import { html, type SafeHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { badge, Links, plural } from "./common.js";
import { FRESHNESS_PAGE } from "./freshness.js";

/**
 * The readiness (gap) assessment, from the same function and as of the same date as
 * `soc2 readiness`, so the portal can never read 100% where the CLI reads 10%.
 */
export function readinessPage(ctx: PortalContext): PageSpec {
  const path = "readiness.html";
  const l = new Links(ctx, path);
  const report = ctx.readiness;
  const body = report
    ? html`<h1>Readiness as of ${report.asOf}</h1>
        <p>
          The gap assessment <code>soc2 readiness --as-of ${report.asOf}</code> prints, computed by
          the same function. ${describeBasis(report)}. Records dated after ${report.asOf} are not
          counted, and nothing is expected before it is due.
        </p>
        ${readinessScores(report)}
        <p>
          Per control, the last evidence, whether the next is overdue and the intervals of the
          period with and without evidence: ${l.to(FRESHNESS_PAGE, "evidence freshness")}.
        </p>
        <h2>Gaps (${report.gaps.length})</h2>
        ${
          report.gaps.length === 0
            ? html`<p class="notice good">No gap: every in-scope criterion has a ready control.</p>`
            : gapSections(l, report.gaps)
        }`
    : html`<h1>Readiness</h1>
        <p class="notice">
          Not assessed: the site was built without an as-of date. Build it with
          <code>soc2 portal --as-of YYYY-MM-DD</code> (the CLI defaults to today).
        </p>`;
  return { path, title: "Readiness", section: "readiness.html", body };
}

/** The score table per category, as soc2 readiness prints it. */
export function readinessScores(report: ReadinessReport): SafeHtml {
  const row = (name: string, c: Omit<CategoryReadiness, "category" | "name">) =>
    html`<tr>
      <td>${name}</td>
      <td>${c.criteria}</td>
      <td>${c.applicable}</td>
      <td>${c.covered}</td>
      <td>${c.ready}</td>
      <td class="${c.score === 100 ? "ready" : "gap"}">
        ${c.score === null ? "n/a" : `${c.score}%`}
      </td>
    </tr> `;
  return html`<table>
      <thead>
        <tr>
          <th>Category</th>
          <th>Criteria</th>
          <th>Applicable</th>
          <th>Covered</th>
          <th>Ready</th>
          <th>Readiness</th>
        </tr>
      </thead>
      <tbody>
        ${report.categories.map((c) => row(c.name, c))}
        ${report.categories.length > 1 ? row("All in scope", report.overall) : ""}
      </tbody>
    </table>
    <p class="muted">
      Readiness: ${SCORE_DEFINITION}. Covered: applicable criteria addressed by an implemented
      control, whatever its evidence.
    </p>`;
}

function gapSections(l: Links, gaps: readonly ReadinessGap[]): SafeHtml {
  const groups = (Object.keys(PROBLEMS) as ReadinessProblem[])
    .map((problem) => ({ problem, gaps: gaps.filter((g) => g.problem === problem) }))
    .filter((g) => g.gaps.length > 0);
  return html`${groups.map(
    (group) =>
      html`<h3 id="${group.problem}">
          ${badge("gap", plural(group.gaps.length, "gap"))} ${PROBLEMS[group.problem]}
        </h3>
        <table>
          <thead>
            <tr>
              <th>Subject</th>
              <th>Due</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            ${group.gaps.map(
              (g) =>
                html`<tr>
                  <td>${subject(l, g)}</td>
                  <td>${g.due ?? "-"}</td>
                  <td>${g.message}</td>
                </tr> `,
            )}
          </tbody>
        </table> `,
  )}`;
}

/** The gap's subject, linked to its page in the portal when it has one. */
function subject(l: Links, g: ReadinessGap): SafeHtml {
  switch (g.problem) {
    case "criterion-without-control":
      return l.criterion(g.subject);
    case "policy-not-approved":
    case "policy-review-overdue":
      return l.policy(g.subject);
    case "exception-open":
      return g.path ? l.record(g.path, g.subject) : html`${g.subject}`;
    default:
      return l.control(g.subject);
  }
}
