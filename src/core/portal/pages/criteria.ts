import type { PortalContext } from "../context.js";
import { html, joinHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { badge, Links } from "./common.js";

export function criteriaPage(ctx: PortalContext): PageSpec {
  const path = "criteria.html";
  const l = new Links(ctx, path);
  const body = html`<h1>Criteria → controls</h1>
    <p>
      Every Trust Services Criterion of the categories in scope, with the controls that address it,
      or why it does not apply, or the gap.
    </p>
    ${ctx.coverage.summary.map((s) => {
      const rows = ctx.coverage.rows.filter((r) => r.criterion.category === s.category);
      return html`<h2 id="${`cat-${s.category}`}">${s.name}</h2>
        <p class="muted">
          ${s.total} criteria: ${s.covered} covered, ${s.planned} planned, ${s.notApplicable} not
          applicable, ${s.gaps} gaps.
        </p>
        <table>
          <thead>
            <tr>
              <th>Criterion</th>
              <th>Family</th>
              <th>Summary</th>
              <th>Status</th>
              <th>Controls, or why not</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr id="${r.criterion.id}">
                  <td><strong>${r.criterion.id}</strong></td>
                  <td>${r.criterion.familyName}</td>
                  <td>${r.criterion.title}</td>
                  <td>${badge(r.status, r.status === "gap" ? "gap" : undefined)}</td>
                  <td>
                    ${
                      r.status === "not-applicable"
                        ? html`Not applicable: ${r.justification ?? ""}`
                        : r.controls.length === 0
                          ? html`<span class="gap">No control addresses this criterion.</span>`
                          : joinHtml(
                              r.controls.map(
                                (c) =>
                                  html`${l.control(c.id)}
                                  ${c.title}${c.status === "implemented" ? "" : html` ${badge(c.status)}`}`,
                              ),
                              "; ",
                            )
                    }
                  </td>
                </tr> `,
            )}
          </tbody>
        </table>`;
    })}
    <p class="muted">
      Criterion summaries are this project's own short titles; the criteria are published by the
      AICPA.
    </p>`;
  return { path, title: "Criteria", section: "criteria.html", body };
}
