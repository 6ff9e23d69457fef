import { describe, expect, it } from "vitest";
import type { ChainReport } from "../../src/core/evidence/verify-chain.js";
import { escapeHtml, html } from "../../src/core/portal/html.js";
import { buildSite, latestRepositoryDate, type SiteFile } from "../../src/core/portal/index.js";
import { relativeHref } from "../../src/core/portal/paths.js";
import { fixtureFiles, fixtureInput, HOSTILE_TITLE, sources } from "./fixture.js";
import { brokenLinks } from "./links.js";
import { validateRepository } from "../../src/core/validate.js";

const page = (files: SiteFile[], path: string): string => {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(", ")}`);
  return file.content;
};

/** Markup with whitespace collapsed and none next to a tag's brackets, to compare markup. */
const flat = (content: string) => content.replace(/\s+/g, " ").replace(/ ?([<>]) ?/g, "$1");
const has = (content: string, snippet: string) => expect(flat(content)).toContain(flat(snippet));

/** The text of a page without its tags, whitespace collapsed: what a reader sees. */
const text = (content: string) =>
  content
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

describe("soc2 portal: the site", () => {
  const files = buildSite(fixtureInput());

  it("is the same, byte for byte, from records kept as summaries as from whole records", () => {
    for (const asOf of ["2026-11-30", undefined]) {
      const whole = buildSite(fixtureInput(fixtureFiles(), undefined, asOf, "whole"));
      const streamed = buildSite(fixtureInput(fixtureFiles(), undefined, asOf, "streamed"));
      expect(streamed.map((f) => f.path)).toEqual(whole.map((f) => f.path));
      for (const [i, f] of streamed.entries()) expect(f.content).toBe(whole[i]!.content);
    }
  });

  it("has an overview, criteria, controls, evidence, changes, exceptions, policies and integrity pages", () => {
    const paths = files.map((f) => f.path);
    for (const p of [
      "index.html",
      "criteria.html",
      "controls.html",
      "controls/CHG-01.html",
      "controls/GOV-01.html",
      "evidence.html",
      "records/changes/acme/web/2026/11/pr-1.html",
      "records/attestations/2026/review-of-pr-3.html",
      "changes.html",
      "exceptions.html",
      "policies.html",
      "policies/POL-INFOSEC.html",
      "integrity.html",
      "assets/portal.css",
      "assets/portal.js",
      ".nojekyll",
    ])
      expect(paths).toContain(p);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("links only to pages that exist, and to anchors that exist", () => {
    expect(brokenLinks(files)).toEqual([]);
  });

  it("escapes every piece of record text: a <script> title stays text", () => {
    const escaped = escapeHtml(HOSTILE_TITLE);
    for (const file of files.filter((f) => f.path.endsWith(".html"))) {
      expect(file.content).not.toContain("window.__pwned = 1</script>");
      expect(file.content).not.toContain("<img src=x");
      // The only script element is the site's own filter script.
      for (const tag of file.content.match(/<script[^>]*>/g) ?? [])
        expect(tag).toMatch(/^<script src="(\.\.\/)*assets\/portal\.js" defer>$/);
    }
    const record = page(files, "records/changes/acme/web/2026/11/pr-1.html");
    expect(record).toContain(escaped);
    expect(page(files, "changes.html")).toContain(escaped);
    // In the population's search data too (an attribute).
    expect(page(files, "changes.html")).toContain(
      `data-text="${escapeHtml(`changes/acme/web/2026/11/pr-1 acme/web #1 ${HOSTILE_TITLE}`.toLowerCase())}`,
    );
    // And in the raw YAML.
    expect(record).toMatch(/<pre><code>[^<]*&lt;script&gt;window.__pwned = 1&lt;\/script&gt;/);
  });

  it("never links a javascript: URL from a record", () => {
    for (const file of files) expect(file.content).not.toMatch(/href="javascript:/i);
    has(
      page(files, "records/changes/acme/web/2026/11/pr-1.html"),
      `<span class="mono">javascript:window.__pwned=3</span>`,
    );
  });

  it("declares a content security policy that allows no inline script", () => {
    expect(page(files, "index.html")).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;self&#39;;`,
    );
  });

  it("is deterministic: the same repository gives the same files, byte for byte", () => {
    const again = buildSite(fixtureInput());
    expect(again).toEqual(files);
    const reversed = Object.fromEntries(Object.entries(fixtureFiles()).reverse());
    expect(buildSite(fixtureInput(reversed))).toEqual(files);
  });

  it("shows coverage per category with counts and a bar, and the integrity status", () => {
    const index = text(page(files, "index.html"));
    expect(index).toContain("Security 33 33 0 0 0 100%");
    // Availability: A1.1 gap, A1.2 covered by CHG-01, A1.3 not applicable.
    expect(index).toContain("Availability 3 1 0 1 1 67%");
    expect(flat(page(files, "index.html"))).toMatch(
      /<svg class="bar"[^>]*aria-label="1 covered, 0 planned, 1 not applicable, 1 gaps of 3"/,
    );
    expect(index).toContain("The evidence is intact");
    expect(index).toContain("2 exceptions (1 unresolved)");
  });

  it("maps criteria to controls, with gaps and not-applicable justifications", () => {
    const criteria = page(files, "criteria.html");
    const row = (id: string) =>
      text(flat(criteria).match(new RegExp(`<tr id="${id}">.*?</tr>`))![0]);
    expect(row("A1.1")).toContain("No control addresses this criterion.");
    expect(row("A1.2")).toContain("CHG-01 Pull requests are approved before merge");
    expect(row("A1.3")).toContain(
      "Not applicable: Recovery testing is &lt;b&gt;carved out&lt;/b&gt;",
    );
    has(criteria, '<a href="controls/CHG-01.html">CHG-01</a>');
  });

  it("gives each control its details, policies, evidence and a timeline with one mark per record", () => {
    const control = page(files, "controls/CHG-01.html");
    const shown = text(control);
    expect(shown).toContain("Owner security-lead · Head of Security");
    expect(shown).toContain("Testing procedure Inspect a sample of change records.");
    has(control, '<a href="../policies/POL-INFOSEC.html">POL-INFOSEC</a>');
    has(control, '<span title="no policy with this id">POL-MISSING</span>');
    const svg = flat(control).match(/<svg class="timeline".*?<\/svg>/)![0];
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toContain(
      '<a href="../records/changes/acme/web/2026/11/pr-1.html"><circle class="mark k0"',
    );
    // Exceptions are marked in red.
    expect(svg.match(/class="mark exception"/g)).toHaveLength(2);
    expect(text(control)).toContain("Evidence records (5)");
  });

  it("renders a change record readably: approvals with commits, checks, verdict rules", () => {
    const shown = text(page(files, "records/changes/acme/web/2026/11/pr-1.html"));
    expect(shown).toContain("Approved on the merged head by bob");
    expect(shown).toContain("bob (GitHub account 12) APPROVED aaaaaaa (the merged head)");
    expect(shown).toContain("ci success aaaaaaa");
    expect(shown).toContain("required-approvals pass 1 of 1: bob");
    expect(shown).toContain("Content digest sha256:");
    expect(shown).toContain("matches the content");
  });

  it("renders other records as a definition list, with the raw YAML", () => {
    const review = page(files, "records/reviews/acme/web/pr-1/5.html");
    has(review, '<dt>review</dt><dd><dl class="kv"><dt>id</dt><dd>5</dd>');
    expect(review).toContain("<pre><code>version: 1\nkind: review-event");
  });

  it("lists every change with the data its filters use", () => {
    const changes = flat(page(files, "changes.html"));
    const rows = changes.match(/<tr data-repo=[^>]*>/g)!;
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain(
      'data-repo="acme/web" data-verdict="pass" data-exception="yes" data-day="2026-11-10"',
    );
    expect(rows[2]).toContain(
      'data-repo="acme/api" data-verdict="fail" data-exception="yes" data-day="2026-11-20"',
    );
    expect(changes).toContain(
      '<option value="acme/api">acme/api</option><option value="acme/web">acme/web</option>',
    );
    expect(changes).toContain('<form id="filters" class="filters" hidden>');
  });

  it("keeps an exceptions register: type, reason, due date, and resolved or open (as soc2 readiness)", () => {
    const register = flat(page(files, "exceptions.html"));
    const row = (title: string) =>
      text(register.match(new RegExp(`<tr><td><a[^>]*>#\\d ${title}.*?</tr>`))![0]);
    expect(row("Emergency fix")).toMatch(
      /emergency labelled emergency-change 2026-11-12 09:59:00 UTC open no response recorded$/,
    );
    expect(row("Merged without review")).toMatch(
      /bypass merged without approval 2026-11-22 09:59:00 UTC resolved by attestations\/2026\/review-of-pr-3 no response recorded$/,
    );
    expect(text(register)).toContain(
      "2 exceptions as of 2026-11-30, 1 resolved, 0 awaiting review, 1 open.",
    );
  });

  it("an exception's due date is not judged without an as-of date", () => {
    const register = page(buildSite(fixtureInput(undefined, undefined, "")), "exceptions.html");
    expect(text(register)).toContain(
      "2 exceptions, 0 resolved, 0 awaiting review, 0 open, 2 not assessed.",
    );
  });

  it("shows each policy's review status as of the date given", () => {
    const policies = text(page(files, "policies.html"));
    expect(policies).toContain(
      "POL-INFOSEC Information Security Policy security-lead 1.0 annually 2026-01-01 2027-01-01 current",
    );
    expect(policies).toContain(
      "POL-OLD An Old Policy security-lead 1.0 quarterly 2026-01-15 2026-04-15 review overdue",
    );
  });

  it("shows integrity findings with their paths, on the overview, the integrity page and the record", () => {
    const report: ChainReport = {
      ok: false,
      chained: 4,
      unchained: [],
      findings: [
        {
          problem: "digest-mismatch",
          path: "evidence/changes/acme/web/2026/11/pr-2.yml",
          message: "its content hashes to sha256:1, not to its digest",
        },
        {
          problem: "record-deleted",
          path: "evidence/changes/acme/web/2026/11/pr-9.yml",
          message: "was deleted by commit abc",
        },
      ],
    };
    const site = buildSite(fixtureInput(undefined, report));
    expect(text(page(site, "index.html"))).toContain("The check found 2 problems in 2 files");
    const integrity = page(site, "integrity.html");
    has(
      integrity,
      '<a href="records/changes/acme/web/2026/11/pr-2.html">evidence/changes/acme/web/2026/11/pr-2.yml</a></td><td><code>digest-mismatch</code>',
    );
    has(integrity, '<span class="mono">evidence/changes/acme/web/2026/11/pr-9.yml</span>');
    expect(text(page(site, "records/changes/acme/web/2026/11/pr-2.html"))).toContain(
      "The integrity check found 1 problem with this record: digest-mismatch : its content hashes to sha256:1",
    );
    expect(brokenLinks(site)).toEqual([]);
  });

  it("states no clock time: the data's own latest date only", () => {
    const { repository } = validateRepository(sources(fixtureFiles()), {
      now: new Date("2027-01-01T00:00:00Z"),
    });
    expect(latestRepositoryDate(repository)).toBe("2026-11-25");
    expect(text(page(files, "index.html"))).toContain(
      "Latest evidence recorded 2026-11-25 10:00:00 UTC",
    );
  });

  it("builds a site for an empty folder too", () => {
    const site = buildSite(fixtureInput({}, undefined, undefined));
    expect(text(page(site, "index.html"))).toContain("no readable soc2.yml");
    expect(brokenLinks(site)).toEqual([]);
  });
});

describe("soc2 portal: building blocks", () => {
  it("escapes interpolated text and keeps markup it built itself", () => {
    expect(html`<p title="${`"x"`}">${"<b>&"}</p>`.value).toBe(
      `<p title="&quot;x&quot;">&lt;b&gt;&amp;</p>`,
    );
    expect(html`<p>${html`<b>${"<i>"}</b>`}</p>`.value).toBe("<p><b>&lt;i&gt;</b></p>");
    expect(html`${["<a>", null, undefined, false, 0]}`.value).toBe("&lt;a&gt;0");
  });

  it("writes relative links that work from any folder", () => {
    expect(relativeHref("index.html", "controls/CHG-01.html")).toBe("controls/CHG-01.html");
    expect(relativeHref("controls/CHG-01.html", "index.html")).toBe("../index.html");
    expect(relativeHref("records/a/b/c.html", "records/a/d.html")).toBe("../d.html");
    expect(relativeHref("criteria.html", "criteria.html", "CC8.1")).toBe("criteria.html#CC8.1");
    expect(relativeHref("index.html", "records/a b/#1?.html")).toBe("records/a%20b/%231%3F.html");
  });
});
