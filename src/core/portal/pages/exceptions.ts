import type { ExceptionInfo, ExceptionStatus, PortalContext } from "../context.js";
import { html, type SafeHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { badge, externalLink, Links, plural, shortSha, when } from "./common.js";

const STATUS: Record<ExceptionStatus, [cls: string, text: string]> = {
  resolved: ["reviewed", "resolved"],
  "awaiting-review": ["due-soon", "awaiting review"],
  open: ["overdue", "open"],
  "not-assessed": ["not-assessed", "not assessed"],
};

/** An exception's status, with the record that resolved it. */
export function exceptionStatus(l: Links, e: ExceptionInfo): SafeHtml {
  const [cls, text] = STATUS[e.status];
  const by = e.resolvedBy
    ? html` by ${l.to(e.resolvedBy.page, e.resolvedBy.id)}`
    : e.status === "resolved" && e.response
      ? html` by <span class="mono">${e.response.path}</span>`
      : "";
  return html`${badge(cls, text)}${by}`;
}

/** Management's response from the exception's review file, or that none is recorded. */
export function exceptionResponse(e: ExceptionInfo): SafeHtml {
  const r = e.response;
  if (!r) return html`<span class="muted">no response recorded</span>`;
  return html`<p>${r.managementResponse}</p>
    ${r.rootCause ? html`<p><strong>Root cause:</strong> ${r.rootCause}</p>` : ""}
    ${
      r.remediation
        ? html`<p>
            <strong>Remediation:</strong> ${r.remediation}${
              r.remediatedOn ? ` (completed ${r.remediatedOn})` : ""
            }
          </p>`
        : ""
    }
    <p class="muted">
      Reviewed on ${r.reviewedOn} by ${r.reviewedBy.join(", ")}:
      <span class="mono">${r.path}</span>${r.links.map((u) => html` ${externalLink(u)}`)}
    </p>`;
}

export function exceptionsPage(ctx: PortalContext): PageSpec {
  const path = "exceptions.html";
  const l = new Links(ctx, path);
  const count = (s: ExceptionStatus) => ctx.exceptions.filter((e) => e.status === s).length;
  const asOf = ctx.input.asOf;
  const body = html`<h1>Exceptions register</h1>
    <p>
      Every recorded change that reached a protected branch without meeting the change-management
      policy: ${plural(ctx.exceptions.length, "exception")}${asOf ? ` as of ${asOf}` : ""},
      ${count("resolved")} resolved, ${count("awaiting-review")} awaiting review, ${count("open")}
      open${count("not-assessed") > 0 ? `, ${count("not-assessed")} not assessed` : ""}.
    </p>
    <p class="muted">
      Each exception needs a retrospective review by its due date: the date the record states, else
      the merge plus <code>change_management.emergency.retrospective_review_hours</code> (48 hours
      by default). It is resolved by its review file
      <code>exceptions/&lt;change record id&gt;.yml</code>, added by a reviewed pull request with
      management's response, or by a later record: an approving review of the pull request submitted
      after the merge by someone other than its author, or an attestation, performed on or after the
      merge day, whose title, summary or findings name the change record's id. Unresolved, it is
      awaiting review until the due date, then open. This is the rule
      <code>soc2 readiness</code> and
      <code>soc2 report</code> apply${asOf ? `, as of ${asOf}` : ""}.
    </p>
    ${
      ctx.exceptions.length === 0
        ? html`<p>No exceptions recorded.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Change</th>
                <th>Repository</th>
                <th>Merged at (UTC)</th>
                <th>Type</th>
                <th>Reason</th>
                <th>Retrospective review due</th>
                <th>Status</th>
                <th>Management response</th>
              </tr>
            </thead>
            <tbody>
              ${ctx.exceptions.map((e) => {
                const c = e.change;
                const label =
                  c.type === "direct-push"
                    ? html`direct push ${shortSha(c.mergedSha)}`
                    : html`#${c.number ?? "?"} ${c.title}`;
                const due = e.due ?? c.exception?.retrospectiveReviewDue;
                return html`<tr>
                  <td>
                    ${e.record ? html`<a href="${l.href(e.record.page)}">${label}</a>` : label}
                  </td>
                  <td>${c.repository}</td>
                  <td>${when(c.mergedAt)}</td>
                  <td>${badge("fail", c.exception?.type ?? "exception")}</td>
                  <td>${c.exception?.reason ?? ""}</td>
                  <td>${due ? when(due) : html`<span class="muted">-</span>`}</td>
                  <td>${exceptionStatus(l, e)}</td>
                  <td>${exceptionResponse(e)}</td>
                </tr> `;
              })}
            </tbody>
          </table>`
    }`;
  return { path, title: "Exceptions register", section: "exceptions.html", body };
}
