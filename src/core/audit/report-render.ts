import { draftBanner, type DraftState } from "./draft.js";
import {
  heading,
  list,
  paragraph,
  table,
  type Block,
  type Inline,
  type ReportDocument,
} from "./report-document.js";
import type {
  ControlOperation,
  ExceptionEntry,
  ReportSystem,
  Type1Report,
  Type2Report,
} from "./report.js";

/** `soc2 report` as a document, rendered by report-document.ts as Markdown or HTML. */

const BOUNDARY_LABELS: Record<keyof ReportSystem["boundaries"], string> = {
  infrastructure: "Infrastructure",
  software: "Software",
  people: "People",
  data: "Data",
  procedures: "Procedures",
  repositories: "Repositories (their changes form the change population)",
  excluded: "Outside the boundary",
};

const SUBSERVICE_METHOD: Record<string, string> = {
  "carve-out": "carve-out: its controls are excluded from this description",
  inclusive: "inclusive: its relevant controls are included",
};

const STATUS_LABEL: Record<string, string> = {
  covered: "addressed",
  planned: "planned",
  "not-applicable": "not applicable",
  gap: "no control",
};

const REVIEW_LABEL: Record<string, string> = {
  current: "current",
  overdue: "review overdue",
  "reviewed-after-date": "last reviewed after this date",
  unknown: "not stated",
  draft: "draft, not approved",
};

const joined = (values: readonly string[], none = "none") =>
  values.length === 0 ? none : values.join(", ");

function organizationLine(org: Type1Report["organization"]): Inline[] {
  return [
    { strong: "Service organization:" },
    ` ${org.name || "(not named in soc2.yml)"}`,
    ...(org.website ? [" (", { text: org.website, href: org.website }, ")"] : []),
  ];
}

/** The DRAFT banner on top of a report while placeholders remain. */
const draftNotice = (draft: DraftState | undefined): Block[] =>
  draft ? [paragraph({ strong: draftBanner(draft) })] : [];

// ---------------------------------------------------------------------------------------------
// Type 1

export function type1Document(report: Type1Report): ReportDocument {
  const system = report.system.name || "(unnamed system)";
  const title = `Description of the ${system} system and its controls as of ${report.asOf}`;
  const source: Inline[] =
    report.asOfSource === "option"
      ? ["given with --as-of"]
      : [{ code: report.asOfSource }, " in soc2.yml"];
  const blocks: Block[] = [
    heading(1, title),
    ...draftNotice(report.draft),
    paragraph(report.statement),
    list([
      organizationLine(report.organization),
      [{ strong: "System:" }, ` ${system}`],
      [
        { strong: "Description type:" },
        " Type 1: the system and the design of its controls at a date",
      ],
      [{ strong: "As of:" }, ` ${report.asOf} (`, ...source, ")"],
      ...(report.audit.auditor ? [[{ strong: "Auditor:" }, ` ${report.audit.auditor}`]] : []),
    ]),
    paragraph(
      "The controls and policies are described as the repository states them when this description is generated; to describe them as they stood on an earlier date, generate it from the commit of that date.",
    ),
    heading(2, "1. The system"),
    paragraph(report.system.description || "(no description in soc2.yml)"),
    heading(3, "Boundaries"),
  ];
  const boundaries = (Object.keys(BOUNDARY_LABELS) as Array<keyof typeof BOUNDARY_LABELS>).filter(
    (k) => report.system.boundaries[k].length > 0,
  );
  blocks.push(
    boundaries.length === 0
      ? paragraph("soc2.yml states no boundaries.")
      : list(
          boundaries.map((k) => [
            { strong: `${BOUNDARY_LABELS[k]}:` },
            ` ${report.system.boundaries[k].join("; ")}`,
          ]),
        ),
    heading(3, "Subservice organizations"),
    report.system.subserviceOrganizations.length === 0
      ? paragraph("None stated.")
      : table(
          ["Organization", "Services", "Method"],
          report.system.subserviceOrganizations.map((s) => [
            [s.name],
            [s.services],
            [SUBSERVICE_METHOD[s.method] ?? s.method],
          ]),
        ),
    heading(2, "2. Scope"),
    paragraph(
      `Trust Services categories in scope: ${report.scope.categories.map((c) => c.name).join(", ")}.`,
    ),
    table(
      ["Category", "Criteria", "Addressed", "Planned", "Not applicable", "No control"],
      report.coverage.map((c) => [
        [c.name],
        [String(c.total)],
        [String(c.covered)],
        [String(c.planned)],
        [String(c.notApplicable)],
        [String(c.gaps)],
      ]),
    ),
    heading(3, "Criteria that do not apply"),
    report.scope.notApplicable.length === 0
      ? paragraph("None: every criterion of the categories in scope applies.")
      : table(
          ["Criterion", "Title", "Justification"],
          report.scope.notApplicable.map((n) => [[n.criterion], [n.title], [n.justification]]),
        ),
    heading(2, "3. Criteria and the controls that address them"),
  );
  for (const category of report.scope.categories) {
    const rows = report.criteria.filter((c) => c.category === category.id);
    blocks.push(
      heading(3, category.name),
      table(
        ["Criterion", "Title", "Controls", "Status"],
        rows.map((r) => [
          [r.id],
          [r.title],
          [r.status === "not-applicable" ? "-" : joined(r.controls, "-")],
          [STATUS_LABEL[r.status] ?? r.status],
        ]),
      ),
    );
  }
  blocks.push(heading(2, "4. Controls"));
  if (report.controls.length === 0) blocks.push(paragraph("No controls are described."));
  for (const c of report.controls) {
    blocks.push(
      heading(3, `${c.id}: ${c.title}`),
      paragraph(c.description || "(no description)"),
      list([
        [{ strong: "Criteria:" }, ` ${joined(c.criteria)}`],
        [{ strong: "Owner:" }, ` ${c.ownerLabel ?? c.owner ?? "not stated"}`],
        [{ strong: "Frequency:" }, ` ${c.frequency ?? "not stated"}`],
        [{ strong: "Automation:" }, ` ${c.automation ?? "not stated"}`],
        [
          { strong: "Status:" },
          ` ${c.status === "implemented" ? "implemented" : `${c.status} (not yet operating)`}`,
        ],
        [{ strong: "Policies:" }, ` ${joined(c.policies)}`],
        ...c.evidence.map((e): Inline[] => [
          { strong: "Evidence:" },
          " ",
          { code: e.kind },
          `: ${e.description}`,
        ]),
      ]),
    );
  }
  blocks.push(
    heading(2, "5. Policies"),
    report.policies.length === 0
      ? paragraph("No policies are described.")
      : table(
          [
            "Policy",
            "Title",
            "Version",
            "Owner",
            "Review cadence",
            "Last reviewed",
            "Next review",
            `Status on ${report.asOf}`,
            "Approved by",
          ],
          report.policies.map((p) => [
            [p.id],
            [p.title],
            [p.version ?? "-"],
            [p.ownerLabel ?? p.owner ?? "-"],
            [p.reviewCadence ?? "-"],
            [p.lastReviewed ?? "-"],
            [p.nextReview ?? "-"],
            [REVIEW_LABEL[p.reviewStatus] ?? p.reviewStatus],
            [p.approvedBy ?? "-"],
          ]),
        ),
    heading(2, "6. Roles"),
    report.owners.length === 0
      ? paragraph("No roles are stated.")
      : table(
          ["Role", "Held by"],
          report.owners.map((o) => [[{ code: o.key }], [o.label]]),
        ),
  );
  return { title, blocks };
}

// ---------------------------------------------------------------------------------------------
// Type 2

function assessment(o: ControlOperation): string {
  const pending = o.notYetDue ? `; ${o.notYetDue} interval(s) not yet due` : "";
  const label =
    o.assessment === "not-yet-due"
      ? "no interval has ended yet"
      : o.assessment === "every-interval"
        ? `evidence in every interval due${pending}`
        : o.assessment === "gaps"
          ? `evidence in ${o.observed} of ${o.expected} intervals${pending}`
          : o.assessment === "no-evidence"
            ? `no evidence in the period${pending}`
            : o.assessment === "per-occurrence"
              ? `${o.records} occurrence(s) recorded`
              : "frequency not stated";
  return o.status === "implemented" ? label : `${label} (control ${o.status})`;
}

/** Each deviation (exception) with management's response, or that none is recorded. */
function deviations(report: Type2Report): Block[] {
  if (report.exceptions.length === 0) return [];
  return [
    heading(3, "Deviations and management's responses"),
    list(
      report.exceptions.map((e): Inline[] => {
        const r = e.response;
        const what = `${e.type} on ${e.repository} ${e.change} (${e.mergedAt}): ${e.reason}. `;
        if (!r) return [{ code: e.id }, ` ${what}`, { strong: "No response recorded." }];
        return [
          { code: e.id },
          ` ${what}`,
          { strong: "Management's response" },
          ` (${r.path}, reviewed on ${r.reviewedOn} by ${r.reviewedBy.join(", ")}): ${r.managementResponse}`,
          ...(r.rootCause ? [` Root cause: ${r.rootCause}`] : []),
          ...(r.remediation
            ? [
                ` Remediation: ${r.remediation}${r.remediatedOn ? ` (completed ${r.remediatedOn})` : ""}`,
              ]
            : []),
        ];
      }),
    ),
  ];
}

function reviewState(e: ExceptionEntry, to: string): string {
  const due = e.reviewDue ? ` (due ${e.reviewDue})` : "";
  if (e.reviewState === "resolved" && e.resolvedBy)
    return `recorded: ${e.resolvedBy.kind} ${e.resolvedBy.id} on ${e.resolvedBy.on}`;
  if (e.reviewState === "awaiting-review") return `not yet due at the end of the period${due}`;
  if (e.reviewState === "open") return `none recorded by ${to}${due}`;
  return "unknown";
}

const kinds = (byKind: Record<string, number>) =>
  Object.entries(byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "-";

export function type2Document(report: Type2Report): ReportDocument {
  const { from, to } = report.period;
  const system = report.system.name || "(unnamed system)";
  const title = `Operation of the controls of the ${system} system from ${from} to ${to}`;
  const t = report.totals;
  const blocks: Block[] = [
    heading(1, title),
    ...draftNotice(report.draft),
    paragraph(report.statement),
    list([
      organizationLine(report.organization),
      [{ strong: "System:" }, ` ${system}`],
      [
        { strong: "Account type:" },
        " Type 2: how each control operated across the period, from the evidence records",
      ],
      [
        { strong: "Period:" },
        ` ${from} to ${to} (`,
        ...(report.period.source === "option"
          ? ["given with --from and --to"]
          : [{ code: "audit.period" }, " in soc2.yml"]),
        ")",
        ...(report.period.through
          ? [
              `; the period has not ended: counted through ${report.period.through}, and intervals that have not ended are not expected yet`,
            ]
          : []),
      ],
      [
        { strong: "Categories in scope:" },
        ` ${report.scope.categories.map((c) => c.name).join(", ")}`,
      ],
    ]),
    heading(2, "Summary"),
    list([
      [`${t.controls} control(s); ${t.records} evidence record(s) dated in the period.`],
      [
        `${t.controlsWithEvidence} control(s) with evidence in the period, ${t.controlsWithGaps} with intervals without evidence (${t.intervalsWithoutEvidence} ended interval(s) without evidence in all), ${t.controlsWithoutEvidence} without any evidence.`,
      ],
      [
        `${t.changes} change(s) reached a protected branch; ${t.exceptions} recorded as exceptions.`,
      ],
    ]),
    heading(2, "How to read this account"),
    paragraph(
      "Each record counts on the day the activity it proves happened (a change's merge, a review's submission, an event, an attestation's performance, a snapshot's capture; otherwise the day it was recorded), in UTC. A periodic control is expected to leave evidence in every interval of its frequency, counted from the first day of the period (a quarterly control over twelve months has four intervals; the last interval ends with the period and may be shorter). Controls that operate per occurrence have no expected count: their records are the population an auditor samples from. Record integrity (digests, the hash chain and git history) is checked separately with soc2 verify.",
    ),
    heading(2, "Controls"),
    report.controls.length === 0
      ? paragraph("No controls are described.")
      : table(
          [
            "Control",
            "Title",
            "Frequency",
            "Records",
            "By kind",
            "First",
            "Last",
            "Expected",
            "Observed",
            "Assessment",
          ],
          report.controls.map((o) => [
            [o.id],
            [o.title],
            [o.frequency ?? "-"],
            [String(o.records)],
            [kinds(o.byKind)],
            [o.first ?? "-"],
            [o.last ?? "-"],
            [o.expected === undefined ? "-" : String(o.expected)],
            [o.observed === undefined ? "-" : String(o.observed)],
            [assessment(o)],
          ]),
        ),
    heading(3, "Intervals without evidence"),
  ];
  const gaps = report.controls.flatMap((o) => o.gaps.map((g) => ({ o, g })));
  blocks.push(
    gaps.length === 0
      ? paragraph("None: every periodic control has evidence in every interval of the period.")
      : table(
          ["Control", "Frequency", "From", "To", "Intervals"],
          gaps.map(({ o, g }) => [
            [o.id],
            [o.frequency ?? "-"],
            [g.from],
            [g.to],
            [String(g.intervals)],
          ]),
        ),
    heading(2, "Change management"),
  );
  if (report.changeManagement.length === 0)
    blocks.push(paragraph("No control is evidenced by change records."));
  else {
    blocks.push(
      paragraph(
        "Changes that reached a protected branch in the period (by merge date), per control evidenced by change records, with the change-management verdict recorded at merge.",
      ),
      table(
        [
          "Control",
          "Changes",
          "Pull requests",
          "Direct pushes",
          "Pass",
          "Fail",
          "Pending",
          "Approved head merged",
          "Checks passed",
          "Exceptions",
        ],
        report.changeManagement.map((s) => [
          [s.control],
          [String(s.changes)],
          [String(s.pullRequests)],
          [String(s.directPushes)],
          [String(s.verdicts.pass)],
          [String(s.verdicts.fail)],
          [String(s.verdicts.pending)],
          [String(s.approvedHead)],
          [String(s.checksPassed)],
          [
            s.exceptions === 0
              ? "0"
              : `${s.exceptions} (${Object.entries(s.exceptionsByType)
                  .map(([k, n]) => `${k} ${n}`)
                  .join(", ")})`,
          ],
        ]),
      ),
      list(
        report.changeManagement.map((s) => [
          { strong: `${s.control}:` },
          ` ${
            s.repositories.length === 0
              ? "no changes in the period"
              : s.repositories.map((r) => `${r.repository || "(unknown)"} ${r.changes}`).join(", ")
          }`,
        ]),
      ),
    );
  }
  blocks.push(
    heading(2, "Exceptions register"),
    report.exceptions.length === 0
      ? paragraph("No change reached a protected branch as an exception in the period.")
      : table(
          [
            "Change record",
            "Repository",
            "Change",
            "Merged",
            "Type",
            "Reason",
            "Retrospective review",
          ],
          report.exceptions.map((e) => [
            [{ code: e.id }],
            [e.repository],
            [e.url ? { text: e.change, href: e.url } : e.change],
            [e.mergedAt],
            [e.type],
            [e.reason],
            [reviewState(e, to)],
          ]),
        ),
    ...deviations(report),
    heading(3, "Findings noted in attestations"),
    report.findings.length === 0
      ? paragraph("None in the period.")
      : table(
          ["Record", "Performed", "Controls", "Finding", "Remediation", "Resolved on"],
          report.findings.map((f) => [
            [{ code: f.record }],
            [f.performedAt],
            [joined(f.controls)],
            [f.description],
            [f.remediation ?? "-"],
            [f.resolvedOn ?? "not resolved"],
          ]),
        ),
  );
  return { title, blocks };
}
