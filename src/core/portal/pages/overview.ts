import { CATEGORY_NAMES } from "../../criteria.js";
import type { CategoryCoverage } from "../../coverage.js";
import { asObject, asString, asStrings } from "../../model.js";
import type { PortalContext } from "../context.js";
import { html, joinHtml, type SafeHtml } from "../html.js";
import type { PageSpec } from "../layout.js";
import { badge, definitionList, Links, plural, when } from "./common.js";
import { readinessScores } from "./readiness.js";

export function overviewPage(ctx: PortalContext): PageSpec {
  const path = "index.html";
  const l = new Links(ctx, path);
  const program = ctx.program;
  const raw = program?.raw ?? {};
  const system = asObject(raw.system);
  const audit = program?.audit;
  const report = ctx.input.integrity.report;
  const unresolved = ctx.exceptions.filter((e) => e.status !== "resolved").length;
  const auditText = !audit?.type
    ? undefined
    : audit.type === 1
      ? `Type 1, as of ${audit.asOf ?? "(no date)"}`
      : `Type 2, ${audit.period ? `${audit.period.start} to ${audit.period.end}` : "(no period)"}`;
  const repositories = asStrings(asObject(system.boundaries).repositories);

  const body = html`<h1>${program?.organization || "SOC 2 evidence portal"}</h1>
    ${program ? "" : html`<p class="notice bad">This repository has no readable soc2.yml: the organization, scope and audit are unknown.</p>`}
    ${definitionList([
      ["System", program?.systemName],
      ["Description", asString(system.description)],
      ["Categories in scope", ctx.coverage.categories.map((c) => CATEGORY_NAMES[c]).join(", ")],
      [
        "Not applicable",
        program && program.notApplicable.length > 0
          ? joinHtml(
              program.notApplicable.map((n) => l.criterion(n.criterion)),
              ", ",
            )
          : "none",
      ],
      ["Audit", auditText],
      ["Auditor", asString(asObject(raw.audit).auditor)],
      ["Repositories in scope", repositories.length > 0 ? repositories.join(", ") : undefined],
      ["Latest evidence recorded", ctx.latestRecord ? when(ctx.latestRecord) : "no records"],
      ["Statuses assessed as of", ctx.input.asOf ?? "not assessed (no date given)"],
    ])}
    <div class="cards">
      ${card(l, "controls.html", ctx.controls.length, "controls")}
      ${card(l, "policies.html", ctx.policies.length, "policies")}
      ${card(l, "evidence.html", ctx.records.length, "evidence records")}
      ${card(l, "changes.html", ctx.changes.length, "changes in the population")}
      ${card(l, "exceptions.html", ctx.exceptions.length, `exceptions (${unresolved} unresolved)`)}
      ${card(l, "integrity.html", report.ok ? "intact" : report.findings.length, report.ok ? "hash chain" : "integrity findings")}
    </div>
    <h2>Readiness${ctx.readiness ? ` as of ${ctx.readiness.asOf}` : ""}</h2>
    ${
      ctx.readiness
        ? html`${readinessScores(ctx.readiness)}
            <p>
              ${l.to("readiness.html", plural(ctx.readiness.gaps.length, "gap"))} to close before
              the audit: the same assessment as <code>soc2 readiness</code>.
            </p>`
        : html`<p class="notice">Not assessed: the site was built without an as-of date.</p>`
    }
    <h2>Design coverage of the Trust Services Criteria</h2>
    <p class="muted">
      Which criteria a control is written for, whatever its evidence: this is not readiness.
    </p>
    <table>
      <thead>
        <tr>
          <th>Category</th>
          <th>Criteria</th>
          <th>Covered</th>
          <th>Planned</th>
          <th>Not applicable</th>
          <th>Gaps</th>
          <th>Design coverage</th>
        </tr>
      </thead>
      <tbody>
        ${ctx.coverage.summary.map(
          (s) =>
            html`<tr><td>${l.to("criteria.html", s.name, `cat-${s.category}`)}</td><td>${s.total}</td><td>${s.covered}</td><td>${s.planned}</td><td>${s.notApplicable}</td><td${s.gaps > 0 ? html` class="gap"` : ""}>${s.gaps}</td><td>${coverageBar(s)} ${percent(s)}</td></tr>\n`,
        )}
      </tbody>
    </table>
    <p class="muted">
      Covered: an implemented control addresses the criterion. Planned: only planned or in-progress
      controls do. Percent: covered and not-applicable criteria over all criteria of the category.
    </p>
    <h2>Integrity of the evidence</h2>
    ${integritySummary(ctx, l)}
    <h2>In this portal</h2>
    <ul>
      <li>
        ${l.to("criteria.html", "Criteria → controls")}: every in-scope criterion, its controls,
        gaps and not-applicable justifications.
      </li>
      <li>
        ${l.to("controls.html", "Controls")}: each control with its owner, frequency, testing
        procedure, policies and a timeline of its evidence.
      </li>
      <li>
        ${l.to("evidence.html", "Evidence records")}: every record with its envelope, digest, chain
        link and content.
      </li>
      <li>
        ${l.to("changes.html", "Change population")}: every change that reached a protected branch,
        with filters.
      </li>
      <li>
        ${l.to("exceptions.html", "Exceptions register")}: changes that did not meet the policy,
        with their retrospective reviews.
      </li>
      <li>${l.to("policies.html", "Policies")}: owners, versions and review status.</li>
      <li>
        ${l.to("readiness.html", "Readiness")}: the score per category and every gap (controls not
        implemented, missing or stale evidence, overdue policies, open exceptions).
      </li>
      <li>${l.to("integrity.html", "Integrity")}: the hash chain check and its findings.</li>
    </ul>`;
  return { path, title: "Overview", section: "index.html", body };
}

function card(l: Links, to: string, n: number | string, label: string): SafeHtml {
  return html`<a class="card" href="${l.href(to)}"><span class="n">${n}</span>${label}</a>`;
}

function percent(s: CategoryCoverage): string {
  if (s.total === 0) return "-";
  return `${Math.round(((s.covered + s.notApplicable) / s.total) * 100)}%`;
}

/** A stacked bar: covered, planned, not applicable, gaps. */
function coverageBar(s: CategoryCoverage): SafeHtml {
  if (s.total === 0) return html``;
  let x = 0;
  const parts = (
    [
      ["covered", s.covered],
      ["planned", s.planned],
      ["not-applicable", s.notApplicable],
      ["gap", s.gaps],
    ] as const
  ).map(([cls, count]) => {
    const w = (count / s.total) * 100;
    const rect = html`<rect
      class="${cls}"
      x="${x.toFixed(2)}"
      y="0"
      width="${w.toFixed(2)}"
      height="10"
    />`;
    x += w;
    return rect;
  });
  return html`<svg
    class="bar"
    viewBox="0 0 100 10"
    preserveAspectRatio="none"
    role="img"
    aria-label="${`${s.covered} covered, ${s.planned} planned, ${s.notApplicable} not applicable, ${s.gaps} gaps of ${s.total}`}"
  >
    <rect class="track" x="0" y="0" width="100" height="10" />
    ${parts}
  </svg>`;
}

export function integritySummary(ctx: PortalContext, l: Links): SafeHtml {
  const { report, historyChecked } = ctx.input.integrity;
  const scope = `${plural(report.chained, "chained record")}${report.unchained.length > 0 ? `, ${plural(report.unchained.length, "record")} without a chain link (checked by digest${historyChecked ? " and history" : ""})` : ""}`;
  const history = historyChecked
    ? "git history was checked too"
    : "git history was not checked (not a git repository)";
  if (report.ok)
    return html`<p class="notice good">
      ${badge("intact")} The evidence is intact: ${scope}; ${history}.
      ${l.to("integrity.html", "Details")}.
    </p>`;
  return html`<p class="notice bad">
    ${badge("tampered", `${plural(report.findings.length, "finding")}`)} The check found
    ${plural(report.findings.length, "problem")} in
    ${plural(new Set(report.findings.map((f) => f.path)).size, "file")} (${scope}; ${history}).
    ${l.to("integrity.html", "See every finding")}.
  </p>`;
}
