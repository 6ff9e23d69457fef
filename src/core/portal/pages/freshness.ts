import type { ControlFreshness } from "../../audit/freshness.js";
import type { PortalContext } from "../context.js";
import { html, type SafeHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { badge, Links, plural } from "./common.js";

export const FRESHNESS_PAGE = "freshness.html";

/**
 * Per control: its last evidence, whether the next is overdue, and a strip of the intervals of the
 * audit period that have ended, from the same assessment soc2 readiness prints.
 */
export function freshnessPage(ctx: PortalContext): PageSpec {
  const path = FRESHNESS_PAGE;
  const l = new Links(ctx, path);
  const report = ctx.readiness;
  const body = report
    ? html`<h1>Evidence freshness as of ${report.asOf}</h1>
        <p>
          ${plural(report.freshness.length, "control")},
          ${report.freshness.filter((f) => f.overdue).length} overdue. A control is overdue when its
          last evidence (by the day the activity happened) plus its allowance (the control's
          <code>max_age_days</code>, else by its frequency) is before ${report.asOf}. The same
          assessment as <code>soc2 readiness --as-of ${report.asOf}</code>.
        </p>
        <p class="muted">
          Ended intervals: one mark per interval of the audit period that has ended by
          ${report.asOf}, oldest first (■ with evidence, □ without; hover for its dates), then how
          many have evidence. Per-occurrence controls have none: <code>soc2 reconcile</code> checks
          that every change has a record.
        </p>
        <table>
          <thead>
            <tr>
              <th>Control</th>
              <th>Frequency</th>
              <th>Last evidence</th>
              <th>Next due</th>
              <th>Status</th>
              <th>Ended intervals</th>
            </tr>
          </thead>
          <tbody>
            ${report.freshness.map(
              (f) =>
                html`<tr>
                  <td>${l.control(f.id)}</td>
                  <td>${f.frequency}</td>
                  <td>${lastEvidence(l, f)}</td>
                  <td>${f.due ?? html`<span class="muted">-</span>`}</td>
                  <td>${status(f)}</td>
                  <td>${strip(f)}</td>
                </tr> `,
            )}
          </tbody>
        </table>`
    : html`<h1>Evidence freshness</h1>
        <p class="notice">
          Not assessed: the site was built without an as-of date. Build it with
          <code>soc2 portal --as-of YYYY-MM-DD</code> (the CLI defaults to today).
        </p>`;
  return { path, title: "Evidence freshness", section: "readiness.html", body };
}

function lastEvidence(l: Links, f: ControlFreshness): SafeHtml {
  if (!f.last) return html`<span class="muted">never</span>`;
  return html`${f.last.on} ${l.record(f.last.path, f.last.kind)}`;
}

function status(f: ControlFreshness): SafeHtml {
  if (f.status !== "implemented") return badge(f.status);
  return f.overdue ? badge("overdue") : badge("current", "fresh");
}

/** One mark per ended interval, its dates and record count on hover, then the count. */
function strip(f: ControlFreshness): SafeHtml {
  if (f.note === "per-occurrence")
    return html`<span class="muted" title="soc2 reconcile checks every change has a record"
      >n/a (per occurrence)</span
    >`;
  if (f.intervals.length === 0)
    return html`<span class="muted">${f.notEnded > 0 ? "none ended yet" : "-"}</span>`;
  return html`<span class="mono"
      >${f.intervals.map(
        (i) =>
          html`<span
            class="${i.records > 0 ? "pass" : "fail"}"
            title="${i.from} to ${i.to}: ${plural(i.records, "record")}"
            >${i.records > 0 ? "■" : "□"}</span
          >`,
      )}</span
    >
    ${f.evidenced}/${f.intervals.length}`;
}
