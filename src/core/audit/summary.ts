import { computeCoverage, type CategoryCoverage } from "../coverage.js";
import type { Category } from "../criteria.js";
import { asObject, asStrings, type Repository } from "../model.js";
import {
  heading,
  list,
  paragraph,
  table,
  type Block,
  type ReportDocument,
} from "./report-document.js";
import { draftBanner, draftState, type DraftState } from "./draft.js";
import { organizationOf, scopeOf, systemOf, type ReportOrganization } from "./report.js";

/**
 * `soc2 summary`: a public control summary in the spirit of a SOC 3 (what is in scope and which
 * control areas address it, for anyone to read) with no test details and no evidence. It is not a
 * SOC 3 report, which only an independent CPA firm issues, and it says so.
 */

export function summaryStatement(organization: string): string {
  return (
    `This public control summary is prepared by the management of ${organization || "the service organization"} ` +
    "from its compliance repository with soc2-as-code. It is not a SOC 3 report: a SOC 3 report is " +
    "issued only by an independent CPA firm and carries the auditor's opinion. This summary carries " +
    "no opinion, no test details and no evidence."
  );
}

export interface ControlArea {
  family: string;
  name: string;
  category: Category;
  criteria: number;
  /** Criteria addressed by an implemented control. */
  addressed: number;
  notApplicable: number;
  /** Titles of the implemented controls that address the family's criteria. */
  controls: string[];
}

export interface PublicSummary {
  statement: string;
  /** Set while TODO placeholders remain: the summary is a draft and says so on top. */
  draft?: DraftState;
  organization: ReportOrganization;
  system: {
    name: string;
    description: string;
    subserviceOrganizations: Array<{ name: string; services: string; method: string }>;
  };
  categories: Array<{ id: Category; name: string }>;
  /** `system.principal_service_commitments` in soc2.yml, when present. */
  commitments: string[];
  controlAreas: ControlArea[];
  coverage: CategoryCoverage[];
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function publicSummary(repo: Repository): PublicSummary {
  const organization = organizationOf(repo);
  const system = systemOf(repo);
  const coverage = computeCoverage(repo);
  const titles = new Map(repo.controls.flatMap((c) => (c.id ? [[c.id, c.title] as const] : [])));
  const areas = new Map<string, ControlArea & { titles: Set<string> }>();
  for (const row of coverage.rows) {
    const c = row.criterion;
    const area = areas.get(c.family) ?? {
      family: c.family,
      name: c.familyName,
      category: c.category,
      criteria: 0,
      addressed: 0,
      notApplicable: 0,
      controls: [],
      titles: new Set<string>(),
    };
    area.criteria++;
    if (row.status === "covered") area.addressed++;
    if (row.status === "not-applicable") area.notApplicable++;
    else
      for (const control of row.controls)
        if (control.status === "implemented") area.titles.add(titles.get(control.id) ?? control.id);
    areas.set(c.family, area);
  }
  const raw = asObject(asObject(repo.program?.raw).system).principal_service_commitments;
  const commitments = typeof raw === "string" ? [raw] : asStrings(raw);
  const draft = draftState(repo);
  return {
    statement: summaryStatement(organization.name),
    ...(draft ? { draft } : {}),
    organization,
    system: {
      name: system.name,
      description: system.description,
      subserviceOrganizations: system.subserviceOrganizations,
    },
    categories: scopeOf(repo).categories,
    commitments: commitments.filter((c) => c.trim() !== ""),
    controlAreas: [...areas.values()].map(({ titles: set, ...area }) => ({
      ...area,
      controls: [...set].sort(byString),
    })),
    coverage: coverage.summary,
  };
}

export function summaryDocument(summary: PublicSummary): ReportDocument {
  const system = summary.system.name || "(unnamed system)";
  const title = `Public control summary: ${system}`;
  const org = summary.organization;
  const blocks: Block[] = [
    heading(1, title),
    ...(summary.draft ? [paragraph({ strong: draftBanner(summary.draft) })] : []),
    paragraph(summary.statement),
    heading(2, "The organization and the system"),
    list([
      [
        { strong: "Organization:" },
        ` ${org.name || "(not named)"}`,
        ...(org.website ? [" (", { text: org.website, href: org.website }, ")"] : []),
      ],
      [{ strong: "System:" }, ` ${system}`],
    ]),
    paragraph(summary.system.description || "(no description)"),
  ];
  if (summary.system.subserviceOrganizations.length > 0)
    blocks.push(
      heading(3, "Subservice organizations"),
      paragraph(
        "The system relies on these providers; the controls of those marked carve-out are outside this summary.",
      ),
      list(
        summary.system.subserviceOrganizations.map((s) => [
          { strong: `${s.name}:` },
          ` ${s.services} (${s.method})`,
        ]),
      ),
    );
  blocks.push(
    heading(2, "Trust Services categories in scope"),
    list(summary.categories.map((c) => [c.name])),
  );
  if (summary.commitments.length > 0)
    blocks.push(
      heading(2, "Principal service commitments"),
      list(summary.commitments.map((c) => [c])),
    );
  blocks.push(
    heading(2, "Control areas"),
    paragraph(
      "The controls in place, grouped by the family of Trust Services Criteria they address. Only controls in operation are listed; controls still being put in place are not.",
    ),
  );
  for (const area of summary.controlAreas)
    blocks.push(
      heading(3, `${area.family}: ${area.name}`),
      area.controls.length === 0
        ? paragraph(
            area.notApplicable === area.criteria
              ? "Not applicable to this system."
              : "No control in operation addresses this area yet.",
          )
        : list(area.controls.map((c) => [c])),
    );
  blocks.push(
    heading(2, "Coverage by category"),
    paragraph(
      "How many Trust Services Criteria of each category in scope are addressed by a control in operation, planned, or not applicable to the system.",
    ),
    table(
      ["Category", "Criteria", "Addressed", "Planned", "Not applicable", "Not addressed"],
      summary.coverage.map((c) => [
        [c.name],
        [String(c.total)],
        [String(c.covered)],
        [String(c.planned)],
        [String(c.notApplicable)],
        [String(c.gaps)],
      ]),
    ),
  );
  return { title, blocks };
}
