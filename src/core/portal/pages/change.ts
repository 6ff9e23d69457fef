import { asObject, asString } from "../../model.js";
import type { PortalContext, RecordInfo } from "../context.js";
import { html, type SafeHtml } from "../html.js";
import { renderValue } from "../render-value.js";
import { exceptionStatus } from "./exceptions.js";
import { badge, definitionList, externalLink, shortSha, when, type Links } from "./common.js";

type Json = Record<string, unknown>;
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(asObject) : []);

function account(v: unknown): string | undefined {
  const a = asObject(v);
  const login = asString(a.login);
  if (!login) return undefined;
  return typeof a.id === "number" ? `${login} (GitHub account ${a.id})` : login;
}

function person(v: unknown): string {
  const p = asObject(v);
  const name = asString(p.name);
  const login = asString(asObject(p.account).login);
  return [name, login ? `@${login}` : undefined].filter(Boolean).join(" ") || "-";
}

/** A change record as an auditor reads it: who changed what, who approved which commit, the checks, the verdict. */
export function changeContent(ctx: PortalContext, l: Links, r: RecordInfo): SafeHtml {
  const content = asObject(r.whole().content);
  const change = asObject(content.change);
  const item = r.change;
  const verdict = asObject(content.verdict);
  const exception = content.exception ? asObject(content.exception) : undefined;
  const register = ctx.exceptionByPath.get(r.record.file.path);
  const facts = asObject(content.facts);
  const headSha = asString(change.head_sha);
  const isPush = change.type === "direct-push";
  return html`${definitionList([
      ["Repository", asString(asObject(content.repository).full_name)],
      [
        "Change",
        isPush
          ? "direct push (no pull request)"
          : html`pull request #${String(change.number ?? "?")}`,
      ],
      ["Title", asString(change.title)],
      ["Pull request", asString(change.url) ? externalLink(asString(change.url)) : undefined],
      ["Author", account(change.author)],
      ["Base branch", asString(change.base_ref)],
      ["Base commit", shortSha(asString(change.base_sha))],
      ["Head", headSha ? html`${asString(change.head_ref) ?? ""} ${shortSha(headSha)}` : undefined],
      ["Merged commit", shortSha(asString(change.merged_sha))],
      ["Merged at", when(asString(change.merged_at))],
      [isPush ? "Pushed by" : "Merged by", account(change.merged_by)],
      ["Merge method", asString(change.merge_method)],
      [
        "Tickets",
        Array.isArray(content.tickets) && content.tickets.length > 0
          ? content.tickets.map(String).join(", ")
          : undefined,
      ],
      [
        "Approved on the merged head by",
        item && item.approvers.length > 0
          ? item.approvers.join(", ")
          : html`<span class="fail">nobody</span>`,
      ],
    ])}
    ${
      exception
        ? html`<div class="notice bad">
            <p>
              <strong>Exception: ${asString(exception.type) ?? "exception"}.</strong>
              ${asString(exception.reason) ?? ""}
            </p>
            ${
              (register?.due ?? asString(exception.retrospective_review_due))
                ? html`<p>
                    Retrospective review due by
                    ${when(register?.due ?? asString(exception.retrospective_review_due))}.
                  </p>`
                : ""
            }${
              register
                ? html`<p>
                    In the ${l.to("exceptions.html", "exceptions register")}:
                    ${exceptionStatus(l, register)}.
                  </p>`
                : ""
            }
          </div>`
        : ""
    }
    <h3>Verdict: ${badge(asString(verdict.result) ?? "unknown")}</h3>
    ${definitionList([
      ["Evaluated at", when(asString(verdict.evaluated_at))],
      [
        "Policy digest",
        asString(verdict.policy_digest)
          ? html`<code>${asString(verdict.policy_digest)}</code>`
          : undefined,
      ],
      [
        "Facts digest",
        asString(verdict.facts_digest)
          ? html`<code>${asString(verdict.facts_digest)}</code>`
          : undefined,
      ],
    ])}
    ${table(
      ["Rule", "Result", "Reason"],
      list(verdict.rules).map((rule) => [
        html`<code>${asString(rule.rule) ?? "?"}</code>`,
        badge(asString(rule.result) ?? "unknown"),
        asString(rule.reason) ?? "",
      ]),
      "No rules recorded.",
    )}
    <h3>Commits</h3>
    ${table(
      ["Commit", "Message", "Author", "Committer"],
      list(content.commits).map((c) => [
        shortSha(asString(c.sha)),
        html`<span class="pre">${asString(c.message) ?? ""}</span>`,
        person(c.author),
        person(c.committer),
      ]),
      "No commits recorded.",
    )}
    ${
      Array.isArray(facts.changed_files)
        ? html`<h3>Changed files</h3>
            ${table(
              ["File", "Change"],
              list(facts.changed_files).map((f) => [
                html`<code>${asString(f.path) ?? ""}</code>`,
                asString(f.status) ?? "",
              ]),
              "No files recorded.",
            )}`
        : ""
    }
    <h3>Reviews</h3>
    ${table(
      ["Reviewer", "State", "On commit", "Submitted at"],
      list(content.reviews).map((review) => {
        const commit = asString(review.commit_id);
        const onHead =
          commit === undefined || headSha === undefined
            ? ""
            : commit === headSha
              ? html` <span class="pass">(the merged head)</span>`
              : html` <span class="muted">(an earlier commit: stale)</span>`;
        return [
          account(review.reviewer) ?? "-",
          html`${asString(review.state) ?? ""}${review.dismissed === true ? " (dismissed)" : ""}`,
          html`${shortSha(commit)}${onHead}`,
          when(asString(review.submitted_at)),
        ];
      }),
      "No reviews.",
    )}
    <h3>Checks</h3>
    ${table(
      ["Check", "Conclusion", "On commit"],
      list(content.checks).map((c) => [
        asString(c.name) ?? "?",
        badge(checkClass(asString(c.conclusion)), asString(c.conclusion) ?? "none"),
        shortSha(asString(c.sha)),
      ]),
      "No checks recorded.",
    )}
    ${
      content.facts !== undefined
        ? html`<details>
            <summary>
              The facts snapshot the verdict was computed from (re-run it with
              <code>soc2 evaluate</code>)
            </summary>
            ${renderValue(content.facts)}
          </details>`
        : ""
    }`;
}

function checkClass(conclusion: string | undefined): string {
  if (conclusion === "success") return "pass";
  if (conclusion === "neutral" || conclusion === "skipped") return "skipped";
  return conclusion ? "fail" : "pending";
}

function table(header: string[], rows: unknown[][], empty: string): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table>
    <thead>
      <tr>
        ${header.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            ${row.map((cell) => html`<td>${cell}</td>`)}
          </tr> `,
      )}
    </tbody>
  </table>`;
}
