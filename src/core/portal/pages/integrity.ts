import type { PortalContext } from "../context.js";
import { html } from "../html.js";
import type { PageSpec } from "../layout.js";
import { definitionList, Links } from "./common.js";
import { integritySummary } from "./overview.js";

export function integrityPage(ctx: PortalContext): PageSpec {
  const path = "integrity.html";
  const l = new Links(ctx, path);
  const { report } = ctx.input.integrity;
  const head = report.head;
  const body = html`<h1>Integrity of the evidence</h1>
    ${integritySummary(ctx, l)}
    ${definitionList([
      ["Chained records", report.chained],
      [
        "Head of the chain",
        head
          ? html`record ${head.sequence}: ${l.record(head.path, head.record)}, record digest
              <code>${head.digest}</code>`
          : html`<span class="muted">no chain-head.json</span>`,
      ],
      [
        "Records without a chain link",
        report.unchained.length > 0
          ? html`<ul>
              ${report.unchained.map((p) => html`<li>${l.record(p)}</li>`)}
            </ul>`
          : "none",
      ],
    ])}
    <h2>Findings (${report.findings.length})</h2>
    ${
      report.findings.length === 0
        ? html`<p>
            None: every record's content matches its digest, every chain link matches the record
            before it, sequence numbers have no gaps or repeats, recorded times run forward, and the
            head names the last record.
          </p>`
        : html`<table>
            <thead>
              <tr>
                <th>File</th>
                <th>Problem</th>
                <th>Chain place</th>
                <th>What was found</th>
              </tr>
            </thead>
            <tbody>
              ${report.findings.map(
                (f) =>
                  html`<tr>
                    <td>${l.record(f.path, f.path)}</td>
                    <td><code>${f.problem}</code></td>
                    <td>${f.sequence ?? "-"}</td>
                    <td>${f.message}</td>
                  </tr> `,
              )}
            </tbody>
          </table>`
    }
    <h2>Check it yourself</h2>
    <p>
      This page shows what the check found when the site was built. Re-run it on a checkout of the
      evidence repository, offline: <code>soc2 verify &lt;dir&gt;</code> (exit status 0 when clean,
      1 when a record was changed, deleted, inserted or back-dated). Note the head's sequence and
      record digest in your working papers: a later check against them shows any rewrite of the
      history before it.
    </p>`;
  return { path, title: "Integrity", section: "integrity.html", body };
}
