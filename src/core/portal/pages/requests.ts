import type { AuditRequest } from "../../requests/request.js";
import { requestStatus, type RequestState } from "../../requests/status.js";
import type { PortalContext } from "../context.js";
import { html, joinHtml, type SafeHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { badge, Links, plural } from "./common.js";

const STATE: Record<RequestState, [cls: string, text: string]> = {
  answered: ["reviewed", "answered"],
  stale: ["fail", "answer stale"],
  overdue: ["overdue", "overdue"],
  open: ["open", "open"],
};

/** The auditor's request lists: each item, its due date, where it stands and what answers it. */
export function requestsPage(ctx: PortalContext): PageSpec {
  const path = "requests.html";
  const l = new Links(ctx, path);
  const asOf = ctx.input.asOf;
  const all = ctx.input.repository.requests ?? [];
  const periods = [...new Set(all.map((r) => r.period))].sort();
  const body = html`<h1>Requests</h1>
    <p>
      The auditor's request lists (audit/&lt;period&gt;/requests/), one row per item. An item is
      answered when a person named the controls and evidence that answer it; each evidence file's
      SHA-256 digest was frozen then, and "answer stale" means a file changed since.
      ${asOf ? `Overdue: open past its due date as of ${asOf}.` : "Overdue is not assessed (no as-of date)."}
    </p>
    ${
      periods.length === 0
        ? html`<p class="muted">
            No request list: import one with
            <code>soc2 requests import &lt;list.csv|xlsx&gt;</code>.
          </p>`
        : periods.map((period) => periodSection(l, period, all, asOf))
    }`;
  return { path, title: "Requests", section: "requests.html", body };
}

function periodSection(
  l: Links,
  period: string,
  all: readonly AuditRequest[],
  asOf: string | undefined,
): SafeHtml {
  // Without an as-of date nothing is overdue, and every answer counts.
  const report = requestStatus(
    all.filter((r) => r.period === period),
    asOf,
  );
  const c = report.counts;
  return html`<h2 id="${`period-${period}`}">Period ${period}</h2>
    <p>
      ${plural(c.total, "request")}: ${c.answered + c.stale}
      answered${c.stale > 0 ? ` (${c.stale} stale)` : ""}, ${c.open + c.overdue}
      open${c.overdue > 0 ? ` (${c.overdue} overdue)` : ""}.
    </p>
    <table>
      <thead>
        <tr>
          <th>Request</th>
          <th>Description</th>
          <th>Criteria</th>
          <th>Due</th>
          <th>Sample</th>
          <th>Status</th>
          <th>Answered by</th>
        </tr>
      </thead>
      <tbody>
        ${report.items.map((item) => {
          const r = item.request;
          const [cls, text] = STATE[item.state];
          return html`<tr id="${`request-${period}-${item.id}`}">
            <td><span class="mono" title="${r.file.path}">${r.reference ?? item.id}</span></td>
            <td>${r.description}</td>
            <td>
              ${
                r.criteria.length === 0
                  ? "-"
                  : joinHtml(
                      r.criteria.map((id) => l.criterion(id)),
                      ", ",
                    )
              }
            </td>
            <td>${r.due ?? "-"}</td>
            <td>${r.sample === undefined ? "-" : r.sample ? "yes" : "no"}</td>
            <td>${badge(cls, text)}</td>
            <td>${answerCell(l, r, item.stale)}</td>
          </tr> `;
        })}
      </tbody>
    </table>`;
}

function answerCell(l: Links, r: AuditRequest, stale: readonly string[]): SafeHtml {
  const answer = r.answer;
  if (!answer || r.status !== "answered") {
    const s = r.suggested;
    return s.controls.length + s.policies.length === 0
      ? html`<span class="muted">-</span>`
      : html`<span class="muted"
          >suggested:
          ${joinHtml([...s.controls.map((id) => l.control(id)), ...s.policies.map((id) => l.policy(id))], ", ")}</span
        >`;
  }
  const evidence = answer.evidence.map(
    (e) =>
      html`${evidenceLink(l, e.path)}${stale.includes(e.path) ? html` ${badge("fail", "changed since frozen")}` : ""}`,
  );
  return html`${joinHtml([...answer.controls.map((id) => l.control(id)), ...evidence], ", ")}
  ${answer.note ? html`<br /><span class="muted">${answer.note}</span>` : ""}
  ${answer.answeredOn ? html`<br /><span class="muted">on ${answer.answeredOn}${answer.answeredBy ? ` by ${answer.answeredBy}` : ""}</span>` : ""}`;
}

/** An evidence record's page or a policy's page when the site has one; else the file's path. */
function evidenceLink(l: Links, path: string): SafeHtml {
  const policy = l.ctx.policies.find((p) => p.policy.file.path === path);
  if (policy) return l.to(policy.page, policy.label);
  return l.record(path, path);
}
