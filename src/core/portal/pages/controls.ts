import { asObject, asString, asStrings } from "../../model.js";
import type { ControlInfo, PortalContext, RecordInfo } from "../context.js";
import { html, joinHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { paginate, pager, type LazyPage, type ListPage } from "../paginate.js";
import { timelineSvg } from "../timeline.js";
import { badge, definitionList, Links, when } from "./common.js";
import { recordListPage, recordTable } from "./evidence.js";

export function controlsPage(ctx: PortalContext): PageSpec {
  const path = "controls.html";
  const l = new Links(ctx, path);
  const body = html`<h1>Controls</h1>
    <p>
      ${ctx.controls.length} controls. Each page shows the control as written in the repository and
      every evidence record that names it.
    </p>
    <table>
      <thead>
        <tr>
          <th>Control</th>
          <th>Title</th>
          <th>Criteria</th>
          <th>Owner</th>
          <th>Frequency</th>
          <th>Automation</th>
          <th>Status</th>
          <th>Records</th>
          <th>Latest evidence</th>
        </tr>
      </thead>
      <tbody>
        ${ctx.controls.map((c) => {
          const latest = c.records.slice(-1)[0];
          return html`<tr>
            <td>${l.to(c.page, c.label)}</td>
            <td>${c.control.title}</td>
            <td>
              ${joinHtml(
                c.control.criteria.map((id) => l.criterion(id)),
                ", ",
              )}
            </td>
            <td>${c.control.owner ?? "-"}</td>
            <td>${c.control.frequency ?? "-"}</td>
            <td>${c.control.automation ?? "-"}</td>
            <td>${badge(c.control.status)}</td>
            <td>${c.records.length}</td>
            <td>
              ${latest ? l.to(latest.page, when(latest.when)) : html`<span class="muted">none</span>`}
            </td>
          </tr> `;
        })}
      </tbody>
    </table>`;
  return { path, title: "Controls", section: "controls.html", body };
}

/** Marks on a control's timeline: the latest records, so the page stays small whatever its age. */
const TIMELINE_MAX = 2000;

/** A control's page (with the first page of its evidence) and the further pages of its evidence. */
export function controlPages(ctx: PortalContext, c: ControlInfo): LazyPage[] {
  const pages = paginate(c.records, c.page, ctx.pageRows);
  return [
    { path: c.page, spec: () => controlPage(ctx, c, pages[0]!) },
    ...pages.slice(1).map((page) =>
      recordListPage(ctx, page, c.page, {
        title: `${c.label} evidence, page ${page.number}`,
        section: "controls.html",
        heading: (l) =>
          html`<h1>
            ${l.to(c.page, c.label)}: evidence records, page ${page.number} of ${page.count}
          </h1>`,
      }),
    ),
  ];
}

function controlPage(ctx: PortalContext, c: ControlInfo, first: ListPage<RecordInfo>): PageSpec {
  const l = new Links(ctx, c.page);
  const control = c.control;
  const testing = asObject(c.raw.testing);
  const owners = asObject(ctx.program?.raw.owners);
  const owner = control.owner ? asObject(owners[control.owner]) : {};
  const ownerText = control.owner
    ? [control.owner, asString(owner.title), asString(owner.name)].filter(Boolean).join(" · ")
    : undefined;
  const body = html`<h1>${c.label}: ${control.title}</h1>
    ${definitionList([
      ["Description", html`<span class="pre">${asString(c.raw.description) ?? ""}</span>`],
      [
        "Criteria",
        joinHtml(
          control.criteria.map((id) => l.criterion(id)),
          ", ",
        ),
      ],
      ["Owner", ownerText],
      ["Frequency", control.frequency],
      ["Automation", control.automation],
      ["Status", badge(control.status)],
      [
        "Policies",
        control.policies.length > 0
          ? joinHtml(
              control.policies.map((id) => l.policy(id)),
              ", ",
            )
          : undefined,
      ],
      ["Testing methods", asStrings(testing.methods).join(", ")],
      ["Testing procedure", html`<span class="pre">${asString(testing.procedure) ?? ""}</span>`],
      ["File", html`<code>${control.file.path}</code>`],
    ])}
    <h2>Expected evidence</h2>
    ${
      control.evidence.length === 0
        ? html`<p class="muted">The control names no kind of evidence.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Kind</th>
                <th>Description</th>
                <th>Maximum age</th>
                <th>Records</th>
              </tr>
            </thead>
            <tbody>
              ${control.evidence.map(
                (e) =>
                  html`<tr>
                    <td><code>${e.kind}</code></td>
                    <td>${e.description}</td>
                    <td>${e.maxAgeDays ? `${e.maxAgeDays} days` : "-"}</td>
                    <td>${c.recordKinds.get(e.kind) ?? 0}</td>
                  </tr> `,
              )}
            </tbody>
          </table>`
    }
    <h2>Evidence over time</h2>
    ${
      c.records.length > TIMELINE_MAX
        ? html`<p class="muted">The latest ${TIMELINE_MAX} of ${c.records.length} records.</p>`
        : ""
    }
    ${timelineSvg(c.page, c.label, c.records.slice(-TIMELINE_MAX))}
    <h2>Evidence records (${c.records.length})</h2>
    ${pager(c.page, first, c.page)} ${recordTable(l, first.rows)} ${pager(c.page, first, c.page)}`;
  return { path: c.page, title: `${c.label} ${control.title}`, section: "controls.html", body };
}
