import { asString } from "../../model.js";
import type { PolicyInfo, PortalContext } from "../context.js";
import { html, joinHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { badge, definitionList, Links } from "./common.js";

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
      ["Approved by", asString(p.raw.approved_by)],
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
    <h2>Text</h2>
    <pre>${policy.body.trim()}</pre>`;
  return { path: p.page, title: `${p.label} ${policy.title}`, section: "policies.html", body };
}
