import { asObject, asString } from "../../model.js";
import { KIND_ORDER, type PortalContext, type RecordInfo } from "../context.js";
import { html, type SafeHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { paginate, pager, type LazyPage, type ListPage } from "../paginate.js";
import { renderValue } from "../render-value.js";
import { changeContent } from "./change.js";
import { badge, definitionList, externalLink, Links, plural, when } from "./common.js";

export function recordTable(l: Links, records: readonly RecordInfo[]): SafeHtml {
  if (records.length === 0) return html`<p class="muted">No evidence records.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>When</th>
        <th>Kind</th>
        <th>Record</th>
        <th>What it shows</th>
        <th>Recorded at</th>
        <th>Digest</th>
      </tr>
    </thead>
    <tbody>
      ${records.map(
        (r) =>
          html`<tr>
            <td>${when(r.when)}</td>
            <td><code>${r.kind}</code></td>
            <td>${l.to(r.page, r.id)}</td>
            <td>${r.summary}</td>
            <td>${when(r.record.recordedAt)}</td>
            <td>${digestBadge(r)}</td>
          </tr> `,
      )}
    </tbody>
  </table>`;
}

function digestBadge(r: RecordInfo): SafeHtml {
  if (r.findings.length > 0) return badge("fail", plural(r.findings.length, "finding"));
  return r.record.digest === r.actualDigest ? badge("pass", "matches") : badge("fail", "mismatch");
}

/** Rows of each kind shown on evidence.html itself; longer kinds link to their own pages. */
const PREVIEW_ROWS = 100;

/** The records of one kind listed on pages of their own: more/evidence-<kind>.html, -2, -3… */
const kindListPath = (kind: string) => `more/evidence-${kind.replace(/[^A-Za-z0-9-]/g, "_")}.html`;

/**
 * evidence.html (each kind, with its first records) and, for a kind with more records than that,
 * the kind's full list in pages of the portal's page size.
 */
export function evidencePages(ctx: PortalContext): LazyPage[] {
  const path = "evidence.html";
  const l = new Links(ctx, path);
  const byKind = ctx.recordsOfKind;
  const kinds = [...byKind.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const preview = Math.min(PREVIEW_ROWS, ctx.pageRows);
  const pages: LazyPage[] = [
    {
      path,
      spec: () => ({
        path,
        title: "Evidence records",
        section: "evidence.html",
        body: evidenceBody(ctx, l, kinds, preview),
      }),
    },
  ];
  for (const k of kinds) {
    const records = byKind.get(k)!;
    if (records.length <= preview) continue;
    const first = kindListPath(k);
    for (const page of paginate(records, first, ctx.pageRows))
      pages.push(
        recordListPage(ctx, page, first, {
          title: `${k} records, page ${page.number}`,
          section: "evidence.html",
          heading: (lp) =>
            html`<h1><code>${k}</code> records, page ${page.number} of ${page.count}</h1>
              <p>${lp.to(path, "All evidence records", `kind-${k}`)}</p>`,
        }),
      );
  }
  return pages;
}

/** evidence.html's text: each kind, with its first records (made when the page is written). */
function evidenceBody(ctx: PortalContext, l: Links, kinds: string[], preview: number): SafeHtml {
  const path = l.page;
  const byKind = ctx.recordsOfKind;
  return html`<h1>Evidence records</h1>
    <p>
      ${plural(ctx.records.length, "record")} in the evidence folder, by kind. "Digest" says whether
      each record's content still hashes to the digest written in it.
    </p>
    <ul>
      ${kinds.map((k) => html`<li>${l.to(path, k, `kind-${k}`)} (${byKind.get(k)!.length})</li>`)}
    </ul>
    ${kinds.map((k) => {
      const records = byKind.get(k)!;
      return html`<h2 id="${`kind-${k}`}">${k}</h2>
        ${
          records.length > preview
            ? html`<p>
                The first ${preview} of ${records.length} records;
                ${l.to(kindListPath(k), `all ${records.length} ${k} records`)}, in pages of
                ${ctx.pageRows}.
              </p>`
            : ""
        }
        ${recordTable(l, records.slice(0, preview))}`;
    })}`;
}

/**
 * A page of a list of records (a control's, a kind's) after its first: the heading, then the
 * records between two pagers; made only when it is written.
 */
export function recordListPage(
  ctx: PortalContext,
  page: ListPage<RecordInfo>,
  first: string,
  spec: Pick<PageSpec, "title" | "section"> & { heading: (l: Links) => SafeHtml },
): LazyPage {
  return {
    path: page.path,
    spec: () => {
      const l = new Links(ctx, page.path);
      return {
        path: page.path,
        title: spec.title,
        section: spec.section,
        body: html`${spec.heading(l)} ${pager(page.path, page, first)} ${recordTable(l, page.rows)}
        ${pager(page.path, page, first)}`,
      };
    },
  };
}

function rank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
}

export function recordPage(ctx: PortalContext, r: RecordInfo): PageSpec {
  const l = new Links(ctx, r.page);
  const source = asObject(r.whole().source);
  const { previous, next } = r;
  const digestOk = r.record.digest === r.actualDigest;
  const text = ctx.input.recordTexts.get(r.record.file.path);
  const body = html`<h1><code>${r.kind}</code> ${r.id}</h1>
    <p>${r.summary}</p>
    ${
      r.findings.length > 0
        ? html`<div class="notice bad">
            <p>
              <strong
                >The integrity check found ${plural(r.findings.length, "problem")} with this
                record:</strong
              >
            </p>
            <ul>
              ${r.findings.map((f) => html`<li><code>${f.problem}</code>: ${f.message}</li>`)}
            </ul>
          </div>`
        : ""
    }
    <h2>Envelope</h2>
    ${definitionList([
      ["Kind", html`<code>${r.kind}</code>`],
      ["Id", html`<code>${r.record.id ?? ""}</code>`],
      ["File", html`<code>${r.record.file.path}</code>`],
      ["Controls", l.controls(r.record.controls)],
      ["Recorded at", when(r.record.recordedAt)],
      ["Happened at", when(r.when)],
      [
        "Source",
        definitionList([
          ["Type", asString(source.type)],
          ["Name", asString(source.name)],
          ["Webhook delivery", asString(source.delivery_id)],
          ["Event", asString(source.event)],
          ["Recovered by", asString(source.recovered_by)],
          ["Run", asString(source.run_url) ? externalLink(asString(source.run_url)) : undefined],
        ]),
      ],
      [
        "Content digest",
        html`<code>${r.record.digest ?? "(none)"}</code> ${
            digestOk
              ? badge("pass", "matches the content")
              : html`${badge("fail", "does not match")} the content hashes to
                  <code>${r.actualDigest}</code>`
          }`,
      ],
      [
        "Chain link",
        r.link
          ? html`record ${r.link.sequence} of the chain; previous:
            ${
              r.link.previous === null
                ? "none (the first record)"
                : previous
                  ? html`${l.to(previous.page, previous.id)} (<code>${r.link.previous}</code>)`
                  : html`<code>${r.link.previous}</code>
                      <span class="fail">(no record in the folder hashes to it)</span>`
            }${next ? html`; next: ${l.to(next.page, next.id)}` : ""}`
          : html`<span class="muted"
              >none: a record filed by people, protected by its digest and git history</span
            >`,
      ],
      [
        "Record digest",
        html`<code>${r.recordDigest}</code>
          <span class="muted"
            >(of the whole record, as the next record's chain link names it)</span
          >`,
      ],
    ])}
    <h2>Content</h2>
    ${r.kind === "change-record" ? changeContent(ctx, l, r) : renderValue(asObject(r.whole().content))}
    <h2>The record file</h2>
    ${text === undefined ? html`<p class="muted">The file's text was not available.</p>` : html`<pre><code>${text}</code></pre>`}`;
  return { path: r.page, title: `${r.kind} ${r.id}`, section: "evidence.html", body };
}
