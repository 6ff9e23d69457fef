import { describe, expect, it } from "vitest";
import {
  assessReadiness,
  type ReadinessOptions,
  type ReadinessProblem,
} from "../../../src/core/audit/readiness.js";
import { readinessContent } from "../../../src/core/audit/readiness-content.js";
import { addMonths, DEFAULT_MAX_AGE_DAYS } from "../../../src/core/audit/readiness-dates.js";
import { CRITERIA } from "../../../src/core/criteria.js";
import type { Repository } from "../../../src/core/model.js";
import {
  readinessJson,
  renderReadinessMarkdown,
  renderReadinessText,
} from "../../../src/core/render/readiness.js";
import { validateRepository } from "../../../src/core/validate.js";
import { changeRecord as change } from "../../helpers/exception-fixtures.js";
import { minimalRepo } from "../../helpers/minimal-repo.js";

const SECURITY = CRITERIA.filter((c) => c.category === "security").map((c) => c.id);
const TYPE_2 = `audit: { type: 2, period: { start: "2026-01-01", end: "2026-12-31" } }`;

type Tree = Record<string, string>;

function load(tree: Tree): Repository {
  const files = Object.entries(tree).map(([path, text]) => {
    const bytes = new TextEncoder().encode(text);
    return { path, size: bytes.length, bytes };
  });
  const now = new Date("2030-01-01T00:00:00Z");
  // As `soc2 readiness` reads a repository: each record reduced to what the assessment reads of
  // it. Every case below then also checks that readinessContent keeps enough.
  const kept = validateRepository(files, { now, retain: { content: readinessContent } });
  const whole = validateRepository(files, { now });
  for (const asOf of ["2026-06-30", "2027-06-30"])
    expect(assessReadiness(kept.repository, { asOf })).toEqual(
      assessReadiness(whole.repository, { asOf }),
    );
  return kept.repository;
}

/** The minimal repository (GOV-01, annual and manual, covers all of Security) with changes. */
function repo(extra: Tree = {}, options: { type2?: boolean; gov01?: string } = {}): Tree {
  const base = minimalRepo();
  if (options.type2) base["soc2.yml"] = base["soc2.yml"]!.replace(/audit: .*\n/, `${TYPE_2}\n`);
  if (options.gov01) base["controls/all.yml"] = options.gov01;
  return { ...base, ...extra };
}

function control(
  id: string,
  fields: {
    criteria?: string[];
    frequency?: string;
    automation?: string;
    status?: string;
    evidence?: string;
  } = {},
): string {
  return `id: ${id}
title: Control ${id}
description: A control used by the readiness tests.
criteria: [${(fields.criteria ?? ["CC8.1"]).join(", ")}]
owner: security-lead
frequency: ${fields.frequency ?? "monthly"}
automation: ${fields.automation ?? "automated"}
${fields.status ? `status: ${fields.status}\n` : ""}evidence:
${fields.evidence ?? "  - { kind: settings-snapshot, description: A snapshot. }"}
testing:
  procedure: Inspect it.
`;
}

function attestation(id: string, controls: string[], performedOn: string, text = ""): Tree {
  return {
    [`evidence/${id}.yml`]: `version: 1
kind: attestation
id: ${id}
controls: [${controls.join(", ")}]
recorded_at: "${performedOn}T12:00:00Z"
source: { type: manual, name: Sam }
digest: sha256:${"0".repeat(64)}
content:
  title: ${JSON.stringify(`Attestation ${text}`)}
  performed_at: "${performedOn}"
  performed_by: { name: Sam }
  summary: ${JSON.stringify(`Performed and signed off. ${text}`)}
  result: no-exceptions
  sign_off: [{ name: Sam, role: Head of Security, signed_on: "${performedOn}" }]
`,
  };
}

function snapshot(id: string, controls: string[], capturedOn: string): Tree {
  return {
    [`evidence/${id}.yml`]: `version: 1
kind: settings-snapshot
id: ${id}
controls: [${controls.join(", ")}]
recorded_at: "${capturedOn}T00:05:00Z"
source: { type: manual, name: Sam }
digest: sha256:${"0".repeat(64)}
content:
  system: github
  target: branch protection
  captured_at: "${capturedOn}T00:04:00Z"
  settings: { enforce_admins: true }
`,
  };
}

function review(
  id: string,
  fields: { number: number; at: string; reviewerId: number; state?: string },
): Tree {
  return {
    [`evidence/${id}.yml`]: `version: 1
kind: review-event
id: ${id}
controls: [CHG-04]
recorded_at: "${fields.at}"
source: { type: github-app, name: App }
digest: sha256:${"0".repeat(64)}
content:
  repository: { id: 1, full_name: acme/web }
  pull_request: { number: ${fields.number} }
  action: submitted
  review:
    id: 5
    reviewer: { id: ${fields.reviewerId}, login: bob, type: User }
    state: ${fields.state ?? "APPROVED"}
    commit_id: ${"b".repeat(40)}
    submitted_at: "${fields.at}"
  occurred_at: "${fields.at}"
`,
  };
}

const gapsOf = (tree: Tree, options: ReadinessOptions) =>
  assessReadiness(load(tree), options).gaps.map((g) => [g.problem, g.subject, g.due]);

describe("readiness: one kind of gap at a time", () => {
  const cases: Array<{
    name: string;
    tree: Tree;
    asOf: string;
    period?: ReadinessOptions["period"];
    gaps: Array<[ReadinessProblem, string, string?]>;
  }> = [
    {
      name: "no gaps: the annual attestation is fresh and the policy reviewed",
      tree: repo(attestation("a/gov", ["GOV-01"], "2026-03-01")),
      asOf: "2026-06-01",
      gaps: [],
    },
    {
      name: "an in-scope criterion without a control",
      tree: repo(attestation("a/gov", ["GOV-01"], "2026-03-01"), {
        gov01: control("GOV-01", {
          criteria: SECURITY.filter((c) => c !== "CC9.2"),
          frequency: "annually",
          automation: "manual",
          evidence: "  - { kind: attestation, description: Annual sign-off. }",
        }),
      }),
      asOf: "2026-06-01",
      gaps: [["criterion-without-control", "CC9.2", undefined]],
    },
    {
      name: "a planned and an in-progress control",
      tree: repo({
        ...attestation("a/gov", ["GOV-01"], "2026-03-01"),
        "controls/x.yml": control("CHG-09", { status: "planned" }),
        "controls/y.yml": control("CHG-10", { status: "in-progress" }),
      }),
      asOf: "2026-06-01",
      gaps: [
        ["control-not-implemented", "CHG-09", undefined],
        ["control-not-implemented", "CHG-10", undefined],
      ],
    },
    {
      name: "Type 1: a control that never operated",
      tree: repo(),
      asOf: "2026-06-01",
      gaps: [["no-evidence-in-period", "GOV-01", "2026-06-01"]],
    },
    {
      name: "Type 1: a manual control whose attestation is 381 days old is overdue",
      tree: repo(attestation("a/gov", ["GOV-01"], "2025-05-16")),
      asOf: "2026-06-01",
      gaps: [["attestation-overdue", "GOV-01", "2026-05-31"]],
    },
    {
      name: "Type 1: 380 days old is still fresh",
      tree: repo(attestation("a/gov", ["GOV-01"], "2025-05-17")),
      asOf: "2026-06-01",
      gaps: [],
    },
    {
      name: "records dated after the as-of date do not count",
      tree: repo(attestation("a/gov", ["GOV-01"], "2026-07-01")),
      asOf: "2026-06-01",
      gaps: [["no-evidence-in-period", "GOV-01", "2026-06-01"]],
    },
    {
      name: "a weekly automated control whose snapshot is 11 days old is stale",
      tree: repo({
        ...attestation("a/gov", ["GOV-01"], "2026-03-01"),
        "controls/chg.yml": control("CHG-02", { frequency: "weekly" }),
        ...snapshot("s/1", ["CHG-02"], "2026-05-21"),
      }),
      asOf: "2026-06-01",
      gaps: [["evidence-stale", "CHG-02", "2026-05-31"]],
    },
    {
      name: "max_age_days overrides the frequency's default",
      tree: repo({
        ...attestation("a/gov", ["GOV-01"], "2026-03-01"),
        "controls/chg.yml": control("CHG-02", {
          frequency: "weekly",
          evidence: "  - { kind: settings-snapshot, description: A snapshot., max_age_days: 30 }",
        }),
        ...snapshot("s/1", ["CHG-02"], "2026-05-21"),
      }),
      asOf: "2026-06-01",
      gaps: [],
    },
    {
      name: "a kind the control lists but never recorded, beside a fresh one",
      tree: repo({
        ...attestation("a/gov", ["GOV-01"], "2026-03-01"),
        "controls/chg.yml": control("CHG-02", {
          evidence: [
            "  - { kind: settings-snapshot, description: A snapshot. }",
            "  - { kind: change-record, description: Changes. }",
          ].join("\n"),
        }),
        ...snapshot("s/1", ["CHG-02"], "2026-05-21"),
      }),
      asOf: "2026-06-01",
      gaps: [["evidence-missing", "CHG-02", "2026-06-01"]],
    },
    {
      name: "Type 2: an annual control not due yet in the period is no gap",
      tree: repo({}, { type2: true }),
      asOf: "2026-06-01",
      gaps: [],
    },
    {
      name: "Type 2: on the last day of the period, the annual control never operated in it",
      tree: repo(attestation("a/gov", ["GOV-01"], "2025-12-20"), { type2: true }),
      asOf: "2026-12-31",
      gaps: [["no-evidence-in-period", "GOV-01", "2026-12-31"]],
    },
    {
      name: "Type 2: a monthly control with no record 36 days into the period",
      tree: repo(
        {
          "controls/chg.yml": control("CHG-02"),
          ...attestation("a/gov", ["GOV-01"], "2026-01-10"),
        },
        { type2: true },
      ),
      asOf: "2026-02-06",
      gaps: [["no-evidence-in-period", "CHG-02", "2026-02-05"]],
    },
    {
      name: "Type 2: a quarterly manual control attested in the period, then not again",
      tree: repo(
        {
          ...attestation("a/gov", ["GOV-01"], "2026-01-10"),
          "controls/acc.yml": control("ACC-04", {
            frequency: "quarterly",
            automation: "manual",
            evidence: "  - { kind: attestation, description: Quarterly review. }",
          }),
          ...attestation("a/q1", ["ACC-04"], "2026-02-01"),
        },
        { type2: true },
      ),
      asOf: "2026-07-01",
      gaps: [["attestation-overdue", "ACC-04", "2026-05-12"]],
    },
    {
      name: "an explicit period replaces soc2.yml's (here: none, so a lookback)",
      tree: repo({}, { type2: true }),
      asOf: "2026-06-01",
      period: null,
      gaps: [["no-evidence-in-period", "GOV-01", "2026-06-01"]],
    },
    {
      name: "a policy past its annual review",
      tree: repo(attestation("a/gov", ["GOV-01"], "2026-03-01")),
      asOf: "2027-01-02",
      gaps: [["policy-review-overdue", "POL-INFOSEC", "2027-01-01"]],
    },
    {
      name: "a policy on the day its review is due is not overdue yet",
      tree: repo(attestation("a/gov", ["GOV-01"], "2026-03-01")),
      asOf: "2027-01-01",
      gaps: [],
    },
  ];

  it.each(cases)("$name", ({ tree, asOf, period, gaps }) => {
    expect(gapsOf(tree, { asOf, ...(period === undefined ? {} : { period }) })).toEqual(gaps);
  });
});

describe("readiness: open exceptions", () => {
  const fresh = attestation("a/gov", ["GOV-01"], "2026-03-01");
  const bypass = change("changes/acme/web/2026/03/pr-4", {
    number: 4,
    mergedAt: "2026-03-01T10:00:00Z",
    exception: "bypass",
  });
  const exceptionsOf = (extra: Tree, asOf: string) =>
    assessReadiness(load(repo({ ...fresh, ...bypass, ...extra })), { asOf }).exceptions.map((e) => [
      e.id,
      e.state,
      e.due,
      e.resolvedBy?.id,
    ]);

  it.each([
    {
      name: "awaiting review within 48 hours of the merge",
      extra: {},
      asOf: "2026-03-02",
      state: "awaiting-review",
      by: undefined,
    },
    {
      name: "open on the day the review is due",
      extra: {},
      asOf: "2026-03-03",
      state: "open",
      by: undefined,
    },
    {
      name: "resolved by an approving review after the merge",
      extra: review("reviews/r1", { number: 4, at: "2026-03-02T09:00:00Z", reviewerId: 8 }),
      asOf: "2026-03-10",
      state: "resolved",
      by: "reviews/r1",
    },
    {
      name: "not resolved by the author's own approval",
      extra: review("reviews/r1", { number: 4, at: "2026-03-02T09:00:00Z", reviewerId: 7 }),
      asOf: "2026-03-10",
      state: "open",
      by: undefined,
    },
    {
      name: "not resolved by an approval given before the merge",
      extra: review("reviews/r1", { number: 4, at: "2026-03-01T09:00:00Z", reviewerId: 8 }),
      asOf: "2026-03-10",
      state: "open",
      by: undefined,
    },
    {
      name: "not resolved by a review that requested changes",
      extra: review("reviews/r1", {
        number: 4,
        at: "2026-03-02T09:00:00Z",
        reviewerId: 8,
        state: "CHANGES_REQUESTED",
      }),
      asOf: "2026-03-10",
      state: "open",
      by: undefined,
    },
    {
      name: "not resolved by an approval of another pull request",
      extra: review("reviews/r1", { number: 5, at: "2026-03-02T09:00:00Z", reviewerId: 8 }),
      asOf: "2026-03-10",
      state: "open",
      by: undefined,
    },
    {
      name: "not resolved by a review dated after the as-of date",
      extra: review("reviews/r1", { number: 4, at: "2026-03-12T09:00:00Z", reviewerId: 8 }),
      asOf: "2026-03-10",
      state: "open",
      by: undefined,
    },
    {
      name: "resolved by an attestation that names the change record",
      extra: attestation(
        "a/retro",
        ["CHG-04"],
        "2026-03-04",
        "Reviewed changes/acme/web/2026/03/pr-4.",
      ),
      asOf: "2026-03-10",
      state: "resolved",
      by: "a/retro",
    },
    {
      name: "not resolved by an attestation naming another record",
      extra: attestation(
        "a/retro",
        ["CHG-04"],
        "2026-03-04",
        "Reviewed changes/acme/web/2026/03/pr-41.",
      ),
      asOf: "2026-03-10",
      state: "open",
      by: undefined,
    },
  ])("$name", ({ extra, asOf, state, by }) => {
    expect(exceptionsOf(extra, asOf)).toEqual([
      ["changes/acme/web/2026/03/pr-4", state, "2026-03-03T10:00:00Z", by],
    ]);
  });

  it("takes the due time from the record, else from soc2.yml's retrospective_review_hours", () => {
    const tree = repo({
      ...fresh,
      ...change("changes/p1", {
        number: 1,
        mergedAt: "2026-03-01T10:00:00Z",
        exception: "emergency",
        due: "2026-03-01T22:00:00Z",
      }),
      ...change("changes/push-1", { mergedAt: "2026-03-01T11:00:00Z", exception: "direct-push" }),
      ...change("changes/p2", { number: 2, mergedAt: "2026-03-01T12:00:00Z" }),
    });
    tree["soc2.yml"] += `change_management:
  emergency: { label: emergency, retrospective_review_hours: 24 }
`;
    const report = assessReadiness(load(tree), { asOf: "2026-03-02" });
    expect(report.exceptions.map((e) => [e.id, e.type, e.due, e.state])).toEqual([
      ["changes/p1", "emergency", "2026-03-01T22:00:00Z", "open"],
      ["changes/push-1", "direct-push", "2026-03-02T11:00:00Z", "open"],
    ]);
    expect(report.gaps.map((g) => [g.problem, g.subject, g.due])).toEqual([
      ["exception-open", "changes/p1", "2026-03-01"],
      ["exception-open", "changes/push-1", "2026-03-02"],
    ]);
    expect(report.gaps[1]!.message).toMatch(
      /^direct-push exception on a push straight to acme\/web \(2026-03-01T11:00:00Z\): its retrospective review was due by 2026-03-02T11:00:00Z, but no review file exceptions\/.+\.yml and no attestation naming this record is recorded/,
    );
  });
});

describe("readiness: scores", () => {
  it("counts, per category, the applicable criteria addressed by a ready control", () => {
    const tree = repo({
      ...attestation("a/gov", ["GOV-01"], "2026-03-01"),
      // Availability: A1.1 ready, A1.2 covered but stale, A1.3 not applicable.
      "controls/a1.yml": control("AVL-01", { criteria: ["A1.1"] }),
      "controls/a2.yml": control("AVL-02", { criteria: ["A1.2"] }),
      ...snapshot("s/1", ["AVL-01"], "2026-05-20"),
      ...snapshot("s/2", ["AVL-02"], "2026-01-20"),
    });
    tree["soc2.yml"] = tree["soc2.yml"]!.replace(
      "scope: { categories: [security] }",
      "scope:\n  categories: [security, availability]\n  not_applicable:\n    - { criterion: A1.3, justification: No backups are kept by this system. }",
    );
    const report = assessReadiness(load(tree), { asOf: "2026-06-01" });
    expect(report.categories).toEqual([
      {
        category: "security",
        name: "Security",
        criteria: 33,
        applicable: 33,
        covered: 33,
        ready: 33,
        score: 100,
      },
      {
        category: "availability",
        name: "Availability",
        criteria: 3,
        applicable: 2,
        covered: 2,
        ready: 1,
        score: 50,
      },
    ]);
    expect(report.overall).toEqual({
      criteria: 36,
      applicable: 35,
      covered: 35,
      ready: 34,
      score: 97,
    });
    expect(report.controls.map((c) => [c.id, c.state])).toEqual([
      ["AVL-01", "ready"],
      ["AVL-02", "gap"],
      ["GOV-01", "ready"],
    ]);
  });

  it("assesses a control with many records the same, whatever the order of its records", () => {
    const tree = repo({ "controls/chg.yml": control("CHG-01", { frequency: "per-occurrence" }) });
    for (let i = 0; i < 60; i++)
      Object.assign(
        tree,
        change(`changes/${i}`, {
          number: i + 1,
          // Several records a day, so the order within a day (by id) matters too.
          mergedAt: `2026-05-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z`,
        }),
      );
    const loaded = load(tree);
    const report = assessReadiness(loaded, { asOf: "2026-06-01" });
    const reversed = { ...loaded, evidence: [...loaded.evidence].reverse() };
    expect(assessReadiness(reversed, { asOf: "2026-06-01" })).toEqual(report);
    expect(report.controls.find((c) => c.id === "CHG-01")).toMatchObject({
      recordsInPeriod: 8, // two a day over the lookback of 7 days (May 25-28)
      latest: { id: "changes/27", on: "2026-05-28" },
    });
  });

  it("rounds down, and a control awaiting its first evidence in the period does not count", () => {
    const report = assessReadiness(load(repo({}, { type2: true })), { asOf: "2026-06-01" });
    expect(report.gaps).toEqual([]);
    expect(report.controls.map((c) => c.state)).toEqual(["awaiting-evidence"]);
    expect(report.categories[0]).toMatchObject({ covered: 33, ready: 0, score: 0 });
    expect(report.basis).toEqual({
      kind: "audit-period",
      start: "2026-01-01",
      end: "2026-12-31",
      assessedTo: "2026-06-01",
    });
  });

  it("assesses a period that has not started as a lookback", () => {
    const report = assessReadiness(load(repo({}, { type2: true })), { asOf: "2025-12-01" });
    expect(report.basis).toEqual({
      kind: "lookback",
      reason: "period-not-started",
      period: { start: "2026-01-01", end: "2026-12-31" },
    });
  });
});

describe("readiness: rendering", () => {
  const report = assessReadiness(
    load(
      repo({
        "controls/chg.yml": control("CHG-02", { frequency: "weekly" }),
        ...snapshot("s/1", ["CHG-02"], "2026-05-21"),
      }),
    ),
    { asOf: "2026-06-01" },
  );

  it("prints the scores, the controls and the gaps as terminal tables", () => {
    const text = renderReadinessText(report);
    expect(text).toMatch(/^Readiness of Example \(Example Inc\.\) as of 2026-06-01\nType 1: /);
    const lines = text.split("\n");
    expect(lines).toContain("Security  33        33          33       0      0%");
    expect(lines).toContain(
      "CHG-02   gap    weekly     10 d     2026-05-21 (11 d, settings-snapshot)  0",
    );
    expect(lines).toContain(
      "evidence-stale         CHG-02   2026-05-31  its latest settings-snapshot, s/1, is from 2026-05-21, 11 days before 2026-06-01; it may be 10 days old (weekly), so the next was due by 2026-05-31",
    );
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "2 gap(s): 1 no-evidence-in-period, 1 evidence-stale",
    );
  });

  it("writes Markdown with a section per part", () => {
    const md = renderReadinessMarkdown(report);
    expect(md.match(/^## .*/gm)).toEqual([
      "## Score per category",
      "## Gaps",
      "## Controls",
      "## Freshness",
      "## Policies",
      "## Exceptions",
    ]);
    expect(md).toContain(
      "| no-evidence-in-period | GOV-01 | controls/all.yml | 2026-06-01 | no evidence record in the 380 days up to 2026-06-01 (annually); none has ever been recorded |",
    );
    expect(md).toContain("| POL-INFOSEC | annually | 2026-01-01 | 2027-01-01 | ok |");
  });

  it("gives JSON with the verdict, the definition of the score and every gap", () => {
    const json = readinessJson(report) as Record<string, unknown>;
    expect(json).toMatchObject({ ready: false, asOf: "2026-06-01", gapCount: 2 });
    expect(json.scoreDefinition).toMatch(
      /^applicable criteria addressed by at least one ready control/,
    );
    expect(Object.keys(json)).toEqual([
      "ready",
      "asOf",
      "organization",
      "system",
      "auditType",
      "basis",
      "scoreDefinition",
      "categories",
      "overall",
      "gapCount",
      "gaps",
      "controls",
      "policies",
      "exceptions",
      "freshness",
    ]);
  });
});

describe("readiness: freshness", () => {
  const report = assessReadiness(
    load(
      repo(
        {
          "controls/chg.yml": control("CHG-02", { frequency: "monthly" }),
          ...snapshot("s/1", ["CHG-02"], "2026-01-20"),
          ...snapshot("s/2", ["CHG-02"], "2026-03-02"),
        },
        { type2: true },
      ),
    ),
    { asOf: "2026-04-10" },
  );

  it("lists per control the last evidence, the due date and the ended months of the period", () => {
    const chg = report.freshness.find((f) => f.id === "CHG-02")!;
    expect(chg).toMatchObject({
      last: { id: "s/2", on: "2026-03-02", kind: "settings-snapshot" },
      due: "2026-04-06",
      overdue: true,
      evidenced: 2,
      missing: 1,
      notEnded: 9,
    });
    expect(chg.intervals.map((i) => i.records)).toEqual([1, 0, 1]);
    expect(report.freshness.map((f) => f.id)).toEqual(report.controls.map((c) => c.id));
  });

  it("prints a freshness table with the interval strip, and returns it in JSON", () => {
    const lines = renderReadinessText(report).split("\n");
    expect(lines.find((l) => l.startsWith("CHG-02   monthly"))).toBe(
      "CHG-02   monthly    2026-03-02 (settings-snapshot)  2026-04-06  OVERDUE  ■□■ 2/3",
    );
    expect(renderReadinessMarkdown(report)).toContain(
      "| CHG-02 | monthly | 2026-03-02 (settings-snapshot) | 2026-04-06 | OVERDUE | ■□■ 2/3 |",
    );
    const json = readinessJson(report) as { freshness: Array<{ id: string }> };
    expect(json.freshness.map((f) => f.id)).toEqual(["CHG-02", "GOV-01"]);
  });
});

describe("readiness dates", () => {
  it.each([
    ["2026-01-31", 1, "2026-02-28"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2025-11-30", 3, "2026-02-28"],
    ["2026-06-15", 12, "2027-06-15"],
  ])("%s plus %i month(s) is %s", (day, months, expected) => {
    expect(addMonths(day, months)).toBe(expected);
  });

  it("documents a default maximum age for every frequency", () => {
    expect(DEFAULT_MAX_AGE_DAYS).toEqual({
      "per-occurrence": 7,
      daily: 7,
      weekly: 10,
      monthly: 35,
      quarterly: 100,
      annually: 380,
    });
  });
});
