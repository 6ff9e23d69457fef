import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import {
  htmlEscape,
  markdownEscape,
  paragraph,
  renderHtml,
  renderMarkdown,
  table,
} from "../../../src/core/audit/report-document.js";
import { type1Document, type2Document } from "../../../src/core/audit/report-render.js";
import { intervalsOf, type1Report, type2Report } from "../../../src/core/audit/report.js";
import { publicSummary, summaryDocument } from "../../../src/core/audit/summary.js";
import { CRITERIA } from "../../../src/core/criteria.js";
import { contentDigest } from "../../../src/core/digest.js";
import type { Repository } from "../../../src/core/model.js";
import { validateRepository, type EvidenceRetention } from "../../../src/core/validate.js";
import { changeItemOf, inMergeOrder, type ChangeItem } from "../../../src/core/audit/population.js";
import { readinessContent } from "../../../src/core/audit/readiness-content.js";
import type { EvidenceRecord } from "../../../src/core/model.js";

const SECURITY = CRITERIA.filter((c) => c.category === "security").map((c) => c.id);
const HOSTILE = `<script>alert("x")</script> | **bold** [link](javascript:alert(1)) & more`;

const account = (id: number, login: string) => ({ id, login, type: "User" });
const REPO = { id: 1000, full_name: "acme-cloud/platform" };

function record(id: string, kind: string, controls: string[], recordedAt: string, content: object) {
  return `${stringify({
    version: 1,
    kind,
    id,
    controls,
    recorded_at: recordedAt,
    source: { type: kind === "attestation" ? "manual" : "github-app", name: "test" },
    digest: contentDigest(content),
    // The App's records are chained (evidence-unchained); validate checks that a link is there,
    // soc2 verify that the links hold, which this test does not need.
    ...(kind === "attestation" ? {} : { chain: { sequence: 1, previous: null } }),
    content,
  })}`;
}

function change(
  n: number | "push",
  mergedAt: string,
  options: { result?: "pass" | "fail"; exception?: object; approvedBy?: number } = {},
) {
  const head = (n === "push" ? "ff" : String(n).padStart(2, "0")).padEnd(40, "a");
  const reviews =
    options.approvedBy === undefined
      ? []
      : [
          {
            id: 900 + (typeof n === "number" ? n : 0),
            reviewer: account(options.approvedBy, `user${options.approvedBy}`),
            state: "APPROVED",
            commit_id: head,
            submitted_at: mergedAt,
          },
        ];
  const content = {
    repository: REPO,
    change: {
      type: n === "push" ? "direct-push" : "pull-request",
      ...(n === "push" ? {} : { number: n, title: `Change ${n}`, author: account(1, "alice") }),
      base_ref: "main",
      head_sha: head,
      merged_sha: head.replace(/a/g, "b"),
      merged_at: mergedAt,
    },
    commits: [],
    reviews,
    checks: [{ name: "test", conclusion: "success", sha: head }],
    verdict: { result: options.result ?? "pass", evaluated_at: mergedAt, rules: [] },
    ...(options.exception ? { exception: options.exception } : {}),
  };
  return content;
}

/** A small Type 2 program over 2026, with evidence in and out of the period. */
function files(): Record<string, string> {
  return {
    "soc2.yml": stringify({
      version: 1,
      organization: { name: "Acme Cloud, Inc.", website: "https://acme.example" },
      system: {
        name: "Acme Platform",
        description: `Scheduling for small businesses. ${HOSTILE}`,
        boundaries: {
          software: ["The web application"],
          repositories: ["acme-cloud/platform"],
          excluded: ["Marketing website"],
        },
        subservice_organizations: [
          { name: "Cloud provider", services: "Compute and storage", method: "carve-out" },
        ],
      },
      scope: {
        categories: ["security", "availability"],
        not_applicable: [
          {
            criterion: "A1.3",
            justification: "Recovery is tested by the cloud provider under its own report.",
          },
        ],
      },
      audit: { type: 2, period: { start: "2026-01-01", end: "2026-12-31" }, auditor: "CPA LLP" },
      owners: {
        "security-lead": { title: "Head of Security", name: "Sam Okafor" },
        "engineering-lead": { title: "Head of Engineering" },
      },
    }),
    "controls/gov-01.yml": stringify({
      id: "GOV-01",
      title: "One control for the common criteria",
      description: "A deliberately broad control used by the tests.",
      criteria: SECURITY,
      owner: "security-lead",
      frequency: "annually",
      automation: "manual",
      policies: ["POL-INFOSEC"],
      evidence: [{ kind: "attestation", description: "Annual sign-off." }],
      testing: { procedure: "Inspect the annual sign-off." },
    }),
    "controls/acc-04.yml": stringify({
      id: "ACC-04",
      title: "User access is reviewed quarterly",
      description: "Each quarter the security lead reviews every account.",
      criteria: ["CC6.2"],
      owner: "security-lead",
      frequency: "quarterly",
      automation: "manual",
      evidence: [{ kind: "attestation", description: "The signed review." }],
      testing: { procedure: "Inspect each quarterly review." },
    }),
    "controls/chg-01.yml": stringify({
      id: "CHG-01",
      title: "Pull requests are approved before merge",
      description: "Every change is approved by someone else before it merges.",
      criteria: ["CC8.1"],
      owner: "engineering-lead",
      frequency: "per-occurrence",
      automation: "automated",
      evidence: [{ kind: "change-record", description: "One record per change." }],
      testing: { procedure: "Sample change records and reperform the verdict." },
    }),
    "controls/avl-01.yml": stringify({
      id: "AVL-01",
      title: "Capacity is monitored",
      description: "Capacity dashboards and alerts cover every production service.",
      criteria: ["A1.1"],
      owner: "engineering-lead",
      frequency: "monthly",
      automation: "automated",
      evidence: [{ kind: "settings-snapshot", description: "Alert configuration." }],
      testing: { procedure: "Inspect the alert configuration." },
    }),
    "controls/avl-02.yml": stringify({
      id: "AVL-02",
      title: "Backups are restored in a test every year",
      description: "A restore test is planned for next year.",
      criteria: ["A1.2"],
      owner: "engineering-lead",
      frequency: "annually",
      automation: "manual",
      status: "planned",
      evidence: [{ kind: "attestation", description: "The restore test report." }],
      testing: { procedure: "Inspect the restore test report." },
    }),
    "policies/infosec.md": `---\n${stringify({
      id: "POL-INFOSEC",
      title: "Information Security Policy",
      owner: "security-lead",
      version: "1.2",
      review_cadence: "annually",
      last_reviewed: "2025-06-01",
      approved_by: "Dana Whitfield, CEO",
      criteria: ["CC1.1"],
    })}---\n# Information Security Policy\n\nText.\n`,
    "policies/access.md": `---\n${stringify({
      id: "POL-ACCESS",
      title: "Access Control Policy",
      owner: "security-lead",
      version: "2.0",
      review_cadence: "quarterly",
      last_reviewed: "2026-05-01",
      criteria: ["CC6.1"],
    })}---\n# Access Control Policy\n\nText.\n`,
    "evidence/attestations/q1.yml": record(
      "attestations/q1",
      "attestation",
      ["ACC-04"],
      "2026-03-30T10:00:00Z",
      {
        title: "Q1 access review",
        performed_at: "2026-03-28",
        performed_by: { name: "Sam Okafor" },
        summary: "Reviewed every account of production.",
        result: "no-exceptions",
        sign_off: [{ name: "Sam Okafor", role: "Head of Security", signed_on: "2026-03-30" }],
      },
    ),
    "evidence/attestations/q3.yml": record(
      "attestations/q3",
      "attestation",
      ["ACC-04", "GOV-01"],
      "2026-08-02T10:00:00Z",
      {
        title: "Q3 access review",
        performed_at: "2026-08-01",
        performed_by: { name: "Sam Okafor" },
        summary: "Reviewed every account of production.",
        result: "exceptions-noted",
        findings: [
          {
            description: `A leaver kept access. ${HOSTILE}`,
            remediation: "Removed.",
            resolved_on: "2026-08-01",
          },
        ],
        sign_off: [{ name: "Sam Okafor", role: "Head of Security", signed_on: "2026-08-02" }],
      },
    ),
    // Before the period: not counted.
    "evidence/attestations/q4-2025.yml": record(
      "attestations/q4-2025",
      "attestation",
      ["ACC-04"],
      "2025-12-20T10:00:00Z",
      {
        title: "Q4 2025 access review",
        performed_at: "2025-12-20",
        performed_by: { name: "Sam Okafor" },
        summary: "Reviewed every account of production.",
        result: "no-exceptions",
        sign_off: [{ name: "Sam Okafor", role: "Head of Security", signed_on: "2025-12-20" }],
      },
    ),
    "evidence/changes/p/1.yml": record(
      "changes/p/1",
      "change-record",
      ["CHG-01"],
      "2026-02-01T10:00:05Z",
      change(1, "2026-02-01T10:00:00Z", { approvedBy: 2 }),
    ),
    "evidence/changes/p/2.yml": record(
      "changes/p/2",
      "change-record",
      ["CHG-01"],
      "2026-06-10T10:00:05Z",
      change(2, "2026-06-10T10:00:00Z", {
        result: "pass",
        exception: {
          type: "emergency",
          reason: "labelled emergency-change",
          retrospective_review_due: "2026-06-12T10:00:00Z",
        },
      }),
    ),
    // The retrospective review of #2: an approval after the merge, by someone else.
    "evidence/reviews/p/2-late.yml": record(
      "reviews/p/2-late",
      "review-event",
      ["CHG-01"],
      "2026-06-11T09:00:01Z",
      {
        repository: REPO,
        pull_request: { number: 2 },
        action: "submitted",
        review: {
          id: 77,
          reviewer: account(2, "bob"),
          state: "APPROVED",
          commit_id: "02".padEnd(40, "a"),
          submitted_at: "2026-06-11T09:00:00Z",
        },
        occurred_at: "2026-06-11T09:00:00Z",
      },
    ),
    "evidence/changes/p/push.yml": record(
      "changes/p/push",
      "change-record",
      ["CHG-01"],
      "2026-09-05T10:00:05Z",
      change("push", "2026-09-05T10:00:00Z", {
        result: "fail",
        exception: { type: "direct-push", reason: `pushed to main directly ${HOSTILE}` },
      }),
    ),
  };
}

function repository(retain?: EvidenceRetention, onRecord?: (r: EvidenceRecord) => void): Repository {
  const encoder = new TextEncoder();
  const sources = Object.entries(files()).map(([path, text]) => {
    const bytes = encoder.encode(text);
    return { path, size: bytes.length, bytes };
  });
  const result = validateRepository(sources, {
    now: new Date("2027-01-15T00:00:00Z"),
    ...(retain ? { retain } : {}),
    ...(onRecord ? { onRecord } : {}),
  });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors).toEqual([]);
  return result.repository;
}

describe("type2Report from streamed records", () => {
  it("is the same from summaries with readinessContent and the population rows as from whole records", () => {
    const rows: ChangeItem[] = [];
    const kept = repository({ content: readinessContent }, (record) => {
      const row = changeItemOf(record);
      if (row) rows.push(row);
    });
    for (const [period, today] of [
      [{ from: "2026-01-01", to: "2026-12-31" }, "2027-01-15"],
      [{ from: "2026-06-01", to: "2026-06-10" }, undefined],
    ] as const) {
      const whole = type2Report(repository(), period, "option", today);
      expect(whole.totals.changes).toBeGreaterThan(0);
      expect(whole.totals.exceptions).toBeGreaterThan(0);
      expect(type2Report(kept, period, "option", today, inMergeOrder(rows))).toEqual(whole);
    }
  });
});

describe("intervalsOf", () => {
  it("counts intervals from the period's first day, the last one ending with the period", () => {
    expect(intervalsOf("2026-07-01", "2027-06-30", "quarterly")).toEqual([
      { from: "2026-07-01", to: "2026-09-30" },
      { from: "2026-10-01", to: "2026-12-31" },
      { from: "2027-01-01", to: "2027-03-31" },
      { from: "2027-04-01", to: "2027-06-30" },
    ]);
    expect(intervalsOf("2026-07-01", "2027-06-30", "annually")).toHaveLength(1);
    expect(intervalsOf("2026-07-01", "2027-06-30", "monthly")).toHaveLength(12);
    expect(intervalsOf("2026-01-31", "2026-04-15", "monthly")).toEqual([
      { from: "2026-01-31", to: "2026-02-27" },
      { from: "2026-02-28", to: "2026-03-30" },
      { from: "2026-03-31", to: "2026-04-15" },
    ]);
    expect(intervalsOf("2026-01-01", "2026-01-10", "weekly")).toEqual([
      { from: "2026-01-01", to: "2026-01-07" },
      { from: "2026-01-08", to: "2026-01-10" },
    ]);
    expect(intervalsOf("2026-01-01", "2026-12-31", "daily")).toHaveLength(365);
    expect(intervalsOf("2026-01-01", "2026-12-31", "per-occurrence")).toEqual([]);
  });
});

describe("the Type 1 description", () => {
  it("describes the system, scope, criteria, controls and policies at the date", () => {
    const report = type1Report(repository(), "2026-07-01", "option");
    expect(report).toMatchObject({
      type: 1,
      asOf: "2026-07-01",
      organization: { name: "Acme Cloud, Inc.", website: "https://acme.example" },
      system: {
        name: "Acme Platform",
        boundaries: { software: ["The web application"], excluded: ["Marketing website"] },
        subserviceOrganizations: [
          { name: "Cloud provider", services: "Compute and storage", method: "carve-out" },
        ],
      },
      scope: {
        categories: [
          { id: "security", name: "Security" },
          { id: "availability", name: "Availability" },
        ],
        notApplicable: [{ criterion: "A1.3", justification: expect.stringMatching(/^Recovery/) }],
      },
      audit: { type: 2, auditor: "CPA LLP" },
    });
    expect(report.controls.map((c) => c.id)).toEqual([
      "ACC-04",
      "AVL-01",
      "AVL-02",
      "CHG-01",
      "GOV-01",
    ]);
    expect(report.controls[0]).toEqual({
      id: "ACC-04",
      title: "User access is reviewed quarterly",
      description: "Each quarter the security lead reviews every account.",
      criteria: ["CC6.2"],
      owner: "security-lead",
      ownerLabel: "Head of Security (Sam Okafor)",
      frequency: "quarterly",
      automation: "manual",
      status: "implemented",
      policies: [],
      evidence: [{ kind: "attestation", description: "The signed review." }],
    });
    const status = (id: string) => report.criteria.find((c) => c.id === id);
    expect(status("A1.1")).toMatchObject({ status: "covered", controls: ["AVL-01"] });
    expect(status("A1.2")).toMatchObject({ status: "planned", controls: ["AVL-02"] });
    expect(status("A1.3")).toMatchObject({
      status: "not-applicable",
      justification: expect.any(String),
    });
    expect(report.policies).toEqual([
      expect.objectContaining({
        id: "POL-ACCESS",
        version: "2.0",
        lastReviewed: "2026-05-01",
        nextReview: "2026-08-01",
        reviewStatus: "current",
      }),
      expect.objectContaining({
        id: "POL-INFOSEC",
        approvedBy: "Dana Whitfield, CEO",
        nextReview: "2026-06-01",
        reviewStatus: "overdue",
      }),
    ]);
    // Earlier than a policy's last review: the version in the repository is later than the date.
    const earlier = type1Report(repository(), "2026-01-15", "option");
    expect(earlier.policies.find((p) => p.id === "POL-ACCESS")!.reviewStatus).toBe(
      "reviewed-after-date",
    );
  });

  it("renders as Markdown and HTML that say who prepared it, with every text escaped", () => {
    const doc = type1Document(type1Report(repository(), "2026-07-01", "audit.as_of"));
    const markdown = renderMarkdown(doc);
    expect(markdown.split("\n")[0]).toBe(
      "# Description of the Acme Platform system and its controls as of 2026-07-01",
    );
    expect(markdown).toContain("Prepared by management");
    expect(markdown).toContain("not an auditor's report and expresses no opinion");
    expect(markdown).toContain("**As of:** 2026-07-01 (`audit.as_of` in soc2.yml)");
    expect(markdown).toContain("| A1.3 | ");
    expect(markdown).toContain("### ACC-04: User access is reviewed quarterly");
    expect(markdown).toContain(
      "| POL-INFOSEC | Information Security Policy | 1.2 | Head of Security (Sam Okafor) | annually | 2025-06-01 | 2026-06-01 | review overdue | Dana Whitfield, CEO |",
    );
    expect(markdown).not.toContain("<script>");
    expect(markdown).toContain("\\<script\\>");
    const html = renderHtml(doc);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<a href="https://acme.example" rel="noopener noreferrer">');
  });
});

describe("the Type 2 account", () => {
  it("counts each control's evidence in the period against its frequency", () => {
    const report = type2Report(
      repository(),
      { from: "2026-01-01", to: "2026-12-31" },
      "audit.period",
    );
    const control = (id: string) => report.controls.find((c) => c.id === id)!;
    expect(control("ACC-04")).toEqual({
      id: "ACC-04",
      title: "User access is reviewed quarterly",
      frequency: "quarterly",
      automation: "manual",
      status: "implemented",
      ownerLabel: "Head of Security (Sam Okafor)",
      records: 2, // the 2025 review is outside the period
      byKind: { attestation: 2 },
      first: "2026-03-28",
      last: "2026-08-01",
      expected: 4,
      observed: 2,
      gaps: [
        { from: "2026-04-01", to: "2026-06-30", intervals: 1 },
        { from: "2026-10-01", to: "2026-12-31", intervals: 1 },
      ],
      assessment: "gaps",
    });
    expect(control("AVL-01")).toMatchObject({
      records: 0,
      expected: 12,
      observed: 0,
      gaps: [{ from: "2026-01-01", to: "2026-12-31", intervals: 12 }],
      assessment: "no-evidence",
    });
    expect(control("GOV-01")).toMatchObject({
      expected: 1,
      observed: 1,
      assessment: "every-interval",
    });
    expect(control("CHG-01")).toMatchObject({
      records: 4,
      byKind: { "change-record": 3, "review-event": 1 },
      gaps: [],
      assessment: "per-occurrence",
    });
    expect(control("AVL-02")).toMatchObject({ status: "planned", assessment: "no-evidence" });
    expect(report.totals).toEqual({
      controls: 5,
      records: 6,
      controlsWithEvidence: 3,
      controlsWithGaps: 1,
      controlsWithoutEvidence: 2,
      changes: 3,
      exceptions: 2,
      // ACC-04 2, AVL-01 12, AVL-02 (planned, annual) 1.
      intervalsWithoutEvidence: 15,
    });
  });

  it("expects only the intervals that have ended while the period still runs", () => {
    // ACC-04 (quarterly) has evidence on 2026-03-28 and 2026-08-01; today is 2026-08-15.
    const report = type2Report(
      repository(),
      { from: "2026-01-01", to: "2026-12-31" },
      "audit.period",
      "2026-08-15",
    );
    expect(report.period).toEqual({
      from: "2026-01-01",
      to: "2026-12-31",
      source: "audit.period",
      through: "2026-08-15",
    });
    const control = (id: string) => report.controls.find((c) => c.id === id)!;
    // Q1, Q2 ended; Q3 runs and already has evidence, so it counts; Q4 has not started.
    expect(control("ACC-04")).toMatchObject({
      expected: 3,
      observed: 2,
      notYetDue: 1,
      gaps: [{ from: "2026-04-01", to: "2026-06-30", intervals: 1 }],
      assessment: "gaps",
    });
    // Monthly without evidence: January to July are due, August runs, September to December wait.
    expect(control("AVL-01")).toMatchObject({
      expected: 7,
      observed: 0,
      notYetDue: 5,
      gaps: [{ from: "2026-01-01", to: "2026-07-31", intervals: 7 }],
      assessment: "no-evidence",
    });
    // Annual: its only interval has not ended, but it has evidence already.
    expect(control("GOV-01")).toMatchObject({
      expected: 1,
      observed: 1,
      assessment: "every-interval",
    });
    const markdown = renderMarkdown(type2Document(report));
    expect(markdown).toContain("the period has not ended: counted through 2026-08-15");
    expect(markdown).toContain("evidence in 2 of 3 intervals; 1 interval(s) not yet due");

    // On its first day nothing has ended: a quarterly control without evidence is not behind.
    const first = type2Report(
      repository(),
      { from: "2026-09-01", to: "2026-12-31" },
      "option",
      "2026-09-01",
    );
    expect(first.controls.find((c) => c.id === "ACC-04")).toMatchObject({
      expected: 0,
      observed: 0,
      gaps: [],
      assessment: "not-yet-due",
    });
    expect(renderMarkdown(type2Document(first))).toContain("no interval has ended yet");
    // A period that is over is counted whole whatever the day.
    const over = type2Report(
      repository(),
      { from: "2026-01-01", to: "2026-12-31" },
      "option",
      "2027-03-01",
    );
    expect(over.period.through).toBeUndefined();
    expect(over.controls.find((c) => c.id === "ACC-04")).toMatchObject({ expected: 4 });
  });

  it("gives change-management statistics, the exceptions register and attestation findings", () => {
    const report = type2Report(repository(), { from: "2026-01-01", to: "2026-12-31" }, "option");
    expect(report.changeManagement).toEqual([
      {
        control: "CHG-01",
        changes: 3,
        pullRequests: 2,
        directPushes: 1,
        verdicts: { pass: 2, fail: 1, pending: 0, unknown: 0 },
        approvedHead: 1,
        checksPassed: 3,
        exceptions: 2,
        exceptionsByType: { "direct-push": 1, emergency: 1 },
        repositories: [{ repository: "acme-cloud/platform", changes: 3 }],
      },
    ]);
    expect(report.exceptions).toMatchObject([
      {
        id: "changes/p/2",
        change: "#2",
        type: "emergency",
        reviewDue: expect.stringMatching(/^2026-06-12T10:00:00/),
        reviewState: "resolved",
        resolvedBy: { id: "reviews/p/2-late", kind: "review-event", on: "2026-06-11" },
      },
      {
        id: "changes/p/push",
        change: "direct push ffbbbbb",
        type: "direct-push",
        reviewState: "open",
      },
    ]);
    expect(report.findings).toEqual([
      {
        record: "attestations/q3",
        path: "evidence/attestations/q3.yml",
        title: "Q3 access review",
        performedAt: "2026-08-01",
        controls: ["ACC-04", "GOV-01"],
        description: `A leaver kept access. ${HOSTILE}`,
        remediation: "Removed.",
        resolvedOn: "2026-08-01",
      },
    ]);
    // A period that ends before the review was due: not yet due, rather than open.
    const june = type2Report(repository(), { from: "2026-06-01", to: "2026-06-10" }, "option");
    expect(june.exceptions).toMatchObject([{ id: "changes/p/2", reviewState: "awaiting-review" }]);
    expect(june.findings).toEqual([]);
  });

  it("renders every section, escaped, and the same repository gives the same bytes", () => {
    const report = type2Report(repository(), { from: "2026-01-01", to: "2026-12-31" }, "option");
    const markdown = renderMarkdown(type2Document(report));
    for (const section of [
      "# Operation of the controls of the Acme Platform system from 2026-01-01 to 2026-12-31",
      "## Summary",
      "## Controls",
      "### Intervals without evidence",
      "## Change management",
      "## Exceptions register",
      "### Findings noted in attestations",
    ])
      expect(markdown).toContain(`${section}\n`);
    expect(markdown).toContain(
      "| ACC-04 | User access is reviewed quarterly | quarterly | 2 | attestation 2 | 2026-03-28 | 2026-08-01 | 4 | 2 | evidence in 2 of 4 intervals |",
    );
    expect(markdown).toContain("| ACC-04 | quarterly | 2026-04-01 | 2026-06-30 | 1 |");
    expect(markdown).toContain("recorded: review-event reviews/p/2-late on 2026-06-11");
    expect(markdown).toContain("none recorded by 2026-12-31");
    expect(markdown).toContain(
      "| AVL-02 | Backups are restored in a test every year | annually | 0 |",
    );
    expect(markdown).toMatch(/no evidence in the period \(control planned\) \|/);
    expect(markdown).not.toMatch(/(^|[^\\])<script>/);
    const html = renderHtml(type2Document(report));
    expect(html).not.toContain("<script>");
    expect(renderMarkdown(type2Document(type2Report(repository(), report.period, "option")))).toBe(
      markdown,
    );
    expect(JSON.stringify(type2Report(repository(), report.period, "option"))).toBe(
      JSON.stringify(report),
    );
  });
});

describe("the public control summary", () => {
  it("says it is not a SOC 3 report and lists control areas without tests or evidence", () => {
    const summary = publicSummary(repository());
    expect(summary.statement).toMatch(
      /It is not a SOC 3 report: a SOC 3 report is issued only by an independent CPA firm/,
    );
    expect(summary.commitments).toEqual([]);
    expect(summary.controlAreas.map((a) => a.family)).toEqual([
      "CC1",
      "CC2",
      "CC3",
      "CC4",
      "CC5",
      "CC6",
      "CC7",
      "CC8",
      "CC9",
      "A1",
    ]);
    expect(summary.controlAreas.find((a) => a.family === "A1")).toEqual({
      family: "A1",
      name: "Additional Criteria for Availability",
      category: "availability",
      criteria: 3,
      addressed: 1,
      notApplicable: 1,
      controls: ["Capacity is monitored"], // the planned restore test is not listed
    });
    expect(summary.controlAreas.find((a) => a.family === "CC8")!.controls).toEqual([
      "One control for the common criteria",
      "Pull requests are approved before merge",
    ]);
    const markdown = renderMarkdown(summaryDocument(summary));
    expect(markdown.split("\n")[0]).toBe("# Public control summary: Acme Platform");
    expect(markdown).not.toMatch(/Principal service commitments/);
    expect(markdown).toContain("| Availability | 3 | 1 | 1 | 1 | 0 |");
    // No test procedure, no evidence, no record.
    expect(markdown).not.toMatch(/Inspect|attestations\/|procedure/);
    // "SOC 3 report" appears only to say what this is not.
    expect(markdown.match(/SOC 3 report/g)).toHaveLength(2);
    expect(markdown).toContain("It is not a SOC 3 report");
    const html = renderHtml(summaryDocument(summary));
    expect(html).not.toContain("<script>");
    expect(html).toContain("<title>Public control summary: Acme Platform</title>");
  });

  it("includes principal service commitments when soc2.yml states them", () => {
    const repo = repository();
    const system = repo.program!.raw.system as Record<string, unknown>;
    system.principal_service_commitments = ["99.9% monthly availability", HOSTILE];
    const summary = publicSummary(repo);
    expect(summary.commitments).toEqual(["99.9% monthly availability", HOSTILE]);
    const html = renderHtml(summaryDocument(summary));
    expect(html).toContain("<h2>Principal service commitments</h2>");
    expect(html).toContain("<li>99.9% monthly availability</li>");
    expect(html).not.toContain("<script>");
  });
});

describe("the report document", () => {
  it("escapes Markdown and HTML, keeps only http(s) links, and keeps tables intact", () => {
    expect(markdownEscape("a|b *c* <d> [e](f) `g` & h\n i")).toBe(
      "a\\|b \\*c\\* \\<d\\> \\[e\\](f) \\`g\\` \\& h i",
    );
    expect(htmlEscape(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
    const doc = {
      title: "T <1>",
      blocks: [
        paragraph("- not a list item"),
        paragraph("1. not a numbered item"),
        table(
          ["A|B", "C"],
          [
            [
              [{ text: "bad", href: "javascript:alert(1)" }],
              [{ code: "a|b" }, " ", { text: "ok", href: "https://example.com/a_(b)" }],
            ],
          ],
        ),
      ],
    };
    expect(renderMarkdown(doc)).toBe(
      [
        "\\- not a list item",
        "",
        "1\\. not a numbered item",
        "",
        "| A\\|B | C |",
        "| --- | --- |",
        "| bad | `a\\|b` [ok](https://example.com/a_%28b%29) |",
        "",
      ].join("\n"),
    );
    const html = renderHtml(doc);
    expect(html).toContain("<title>T &lt;1&gt;</title>");
    expect(html).toContain("<td>bad</td>");
    expect(html).toContain('<a href="https://example.com/a_(b)" rel="noopener noreferrer">ok</a>');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});
