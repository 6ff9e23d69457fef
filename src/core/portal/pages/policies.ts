import { asString } from "../../model.js";
import type { PolicyInfo, PortalContext } from "../context.js";
import { html, joinHtml, type SafeHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { badge, definitionList, Links, when } from "./common.js";
import { renderMarkdown } from "../markdown.js";

const STATUS_TEXT: Record<PolicyInfo["status"], string> = {
  current: "current",
  "due-soon": "review due soon",
  overdue: "review overdue",
  "not-assessed": "not assessed",
  draft: "draft, not approved",
};

export function policiesPage(ctx: PortalContext): PageSpec {
  const path = "policies.html";
  const l = new Links(ctx, path);
  const asOf = ctx.input.asOf;
  const body = html`<h1>Policies</h1>
    <p>
      ${ctx.policies.length} policies. The next review is due one review cadence after the last
      review; the status is ${asOf ? `as of ${asOf}` : "not assessed (no as-of date)"}; "due soon"
      means within 30 days.
    </p>
    <table>
      <thead>
        <tr>
          <th>Policy</th>
          <th>Title</th>
          <th>Owner</th>
          <th>Version</th>
          <th>Review cadence</th>
          <th>Last reviewed</th>
          <th>Next review due</th>
          <th>Status</th>
          <th>Approved by</th>
          <th>Controls</th>
        </tr>
      </thead>
      <tbody>
        ${ctx.policies.map(
          (p) =>
            html`<tr>
              <td>${l.to(p.page, p.label)}</td>
              <td>${p.policy.title}</td>
              <td>${p.policy.owner ?? "-"}</td>
              <td>${p.policy.version ?? "-"}</td>
              <td>${p.policy.reviewCadence ?? "-"}</td>
              <td>${p.policy.lastReviewed ?? "-"}</td>
              <td>${p.nextReview ?? "-"}</td>
              <td>${badge(p.status, STATUS_TEXT[p.status])}</td>
              <td>${approvedBy(l, p)}</td>
              <td>${p.controls.length}</td>
            </tr> `,
        )}
      </tbody>
    </table>`;
  return { path, title: "Policies", section: "policies.html", body };
}

export function policyPage(ctx: PortalContext, p: PolicyInfo): PageSpec {
  const l = new Links(ctx, p.page);
  const policy = p.policy;
  const body = html`<h1>${p.label}: ${policy.title}</h1>
    ${definitionList([
      ["Owner", policy.owner],
      ["Version", policy.version],
      ["Approved by", approvedBy(l, p)],
      ["Review cadence", policy.reviewCadence],
      ["Last reviewed", policy.lastReviewed],
      ["Next review due", p.nextReview],
      ["Review status", badge(p.status, STATUS_TEXT[p.status])],
      [
        "Criteria",
        joinHtml(
          policy.criteria.map((id) => l.criterion(id)),
          ", ",
        ),
      ],
      [
        "Controls that cite it",
        p.controls.length > 0
          ? joinHtml(
              p.controls.map((c) => l.to(c.page, c.label)),
              ", ",
            )
          : undefined,
      ],
      ["File", html`<code>${policy.file.path}</code>`],
    ])}
    <h2>Versions and their approval</h2>
    ${versions(l, p)}
    <h2>Text</h2>
    <div class="policy-text">${renderMarkdown(policy.body)}</div>`;
  return { path: p.page, title: `${p.label} ${policy.title}`, section: "policies.html", body };
}

/**
 * Who approved the current version: the approvers of the last recorded pull request that changed
 * the file (evidence), else what the front matter states (a claim, labelled as such).
 */
function approvedBy(l: Links, p: PolicyInfo): SafeHtml | string {
  const last = p.changes.at(-1);
  const stated = asString(p.raw.approved_by);
  if (last) {
    const c = last.change;
    const who =
      c.approvers.length > 0 ? c.approvers.join(", ") : "nobody (no approval on the head)";
    const label = c.number === undefined ? c.id : `#${c.number}`;
    return html`${who} on ${last.record ? l.to(last.record.page, label) : label}
    (${c.mergedAt.slice(0, 10)})`;
  }
  if (p.policy.status === "draft") return html`<span class="muted">not approved (draft)</span>`;
  if (stated)
    return html`${stated} <span class="muted">(as the file states; no change record)</span>`;
  return html`<span class="muted">not recorded</span>`;
}

/** Each recorded change to the file, with its approvers and verdict. */
function versions(l: Links, p: PolicyInfo): SafeHtml {
  if (p.changes.length === 0)
    return html`<p class="muted">
      No change record lists ${p.policy.file.path} among its changed files. Changes recorded by the
      soc2-as-code App carry the pull request's file list; direct pushes carry none.
    </p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Merged at</th>
        <th>Change</th>
        <th>File</th>
        <th>Approved by (on the merged head)</th>
        <th>Verdict</th>
      </tr>
    </thead>
    <tbody>
      ${p.changes.map(({ change: c, record, status }) => {
        const label = `${c.repository}${c.number === undefined ? "" : `#${c.number}`} ${c.title}`;
        return html`<tr>
          <td>${when(c.mergedAt)}</td>
          <td>${record ? l.to(record.page, label) : label}</td>
          <td>${status || "-"}</td>
          <td>
            ${c.approvers.length > 0 ? c.approvers.join(", ") : html`<span class="gap">nobody</span>`}
          </td>
          <td>
            ${badge(c.verdict === "pass" ? "pass" : "fail", c.verdict)}${c.exception ? html` ${badge("fail", `exception: ${c.exception.type}`)}` : ""}
          </td>
        </tr> `;
      })}
    </tbody>
  </table>`;
}
