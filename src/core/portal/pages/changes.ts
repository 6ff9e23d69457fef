import type { ChangeItem } from "../../audit/population.js";
import type { PortalContext } from "../context.js";
import { html, type SafeHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { paginate, pager, withRows, type LazyPage, type ListPage } from "../paginate.js";
import { badge, externalLink, Links, shortSha, when } from "./common.js";

const VERDICTS = ["pass", "fail", "pending", "unknown"] as const;

/** What the free-text search matches: everything an auditor might type about a change. */
function searchText(c: ChangeItem): string {
  return [
    c.id,
    c.repository,
    c.number === undefined ? "" : `#${c.number}`,
    c.title,
    c.author,
    ...c.approvers,
    c.mergedBy,
    c.headSha,
    c.mergedSha,
    c.baseRef,
    ...c.tickets,
    ...c.checks,
    c.verdict,
    c.exception?.type,
    c.exception?.reason,
  ]
    .filter((s): s is string => typeof s === "string" && s !== "")
    .join(" ")
    .toLowerCase();
}

function changeLabel(l: Links, c: ChangeItem): SafeHtml {
  const record = l.ctx.recordLink(c.path);
  const text =
    c.type === "direct-push"
      ? html`direct push ${shortSha(c.mergedSha)}`
      : html`#${c.number ?? "?"} ${c.title}`;
  return record ? html`<a href="${l.href(record.page)}">${text}</a>` : text;
}

/** The change population, in pages of the portal's page size (changes.html, more/changes-2.html, …). */
export function changesPages(ctx: PortalContext): LazyPage[] {
  return paginate(ctx.changes, "changes.html", ctx.pageRows).map((page) => ({
    path: page.path,
    spec: () => changesPage(ctx, page),
  }));
}

function changesPage(ctx: PortalContext, listed: ListPage<ChangeItem>): PageSpec {
  const page = withRows(listed);
  const path = page.path;
  const l = new Links(ctx, path);
  const { repositories, firstDay, lastDay } = ctx.changeFacets;
  const days = firstDay ? [firstDay, lastDay] : [];
  const body = html`<h1>Change population</h1>
    <p>
      Every change that reached a protected branch and was recorded: merged pull requests and direct
      pushes, ${ctx.changes.length} in all, in merge order. Approvers are the reviewers whose latest
      review approved the head commit that was merged. Exceptions are changes that reached the
      branch without meeting the policy; they are never dropped.
    </p>
    <form id="filters" class="filters" hidden>
      <label
        >Repository
        <select id="f-repo">
          <option value="">all</option>
          ${repositories.map((r) => html`<option value="${r}">${r}</option>`)}
        </select></label
      >
      <label
        >Verdict
        <select id="f-verdict">
          <option value="">all</option>
          ${VERDICTS.map((v) => html`<option value="${v}">${v}</option>`)}
        </select></label
      >
      <label class="check"><input type="checkbox" id="f-exceptions" /> exceptions only</label>
      <label
        >Search
        <input type="search" id="f-search" placeholder="title, author, approver, commit, ticket"
      /></label>
      <label
        >Merged from
        <input
          type="date"
          id="f-from"
          ${days[0] ? html` min="${days[0]}" max="${days.at(-1)}"` : ""}
      /></label>
      <label
        >to
        <input type="date" id="f-to" ${days[0] ? html` min="${days[0]}" max="${days.at(-1)}"` : ""}
      /></label>
      <button type="reset">Clear</button>
    </form>
    ${pager(path, page, "changes.html")}
    ${
      page.count > 1
        ? html`<p class="muted">
            This page lists changes ${(page.number - 1) * ctx.pageRows + 1} to
            ${(page.number - 1) * ctx.pageRows + page.rows.length}; the filters apply to its rows.
          </p>`
        : ""
    }
    <p id="f-count" class="count" aria-live="polite">
      ${page.rows.length} of ${page.rows.length} ${page.rows.length === 1 ? "change" : "changes"}
      shown
    </p>
    <table id="population">
      <thead>
        <tr>
          <th>Merged at (UTC)</th>
          <th>Repository</th>
          <th>Change</th>
          <th>Author</th>
          <th>Approved on merged head by</th>
          <th>Merged by</th>
          <th>Checks</th>
          <th>Tickets</th>
          <th>Verdict</th>
          <th>Exception</th>
        </tr>
      </thead>
      <tbody>
        ${page.rows.map(
          (c) =>
            html`<tr
              data-repo="${c.repository}"
              data-verdict="${c.verdict}"
              data-exception="${c.exception ? "yes" : "no"}"
              data-day="${c.mergedAt.slice(0, 10)}"
              data-text="${searchText(c)}"
            >
              <td>${when(c.mergedAt)}</td>
              <td>${c.repository}</td>
              <td>${changeLabel(l, c)}${c.url ? html` ${externalLink(c.url, "↗")}` : ""}</td>
              <td>${c.author ?? "-"}</td>
              <td>
                ${c.approvers.length > 0 ? c.approvers.join(", ") : html`<span class="fail">nobody</span>`}
              </td>
              <td>${c.mergedBy ?? "-"}</td>
              <td>
                ${c.checks.length > 0 ? html`${c.checks.join(", ")} ${badge(c.checksPassed ? "pass" : "fail", c.checksPassed ? "passed" : "not passed")}` : html`<span class="muted">none</span>`}
              </td>
              <td>${c.tickets.join(", ") || "-"}</td>
              <td>${badge(c.verdict)}</td>
              <td>${c.exception ? badge("fail", c.exception.type) : ""}</td>
            </tr> `,
        )}
      </tbody>
    </table>
    ${pager(path, page, "changes.html")}
    <noscript
      ><p class="muted">
        Filters need JavaScript; without it the table lists every change.
      </p></noscript
    >
    <p class="muted">
      For the completeness of this population against the commit history of each protected branch,
      run <code>soc2 population</code>; to draw a sample, <code>soc2 sample</code>.
    </p>`;
  const title = page.count > 1 ? `Change population, page ${page.number}` : "Change population";
  return { path, title, section: "changes.html", body, script: true };
}
