import { computeFrameworkCoverage } from "../framework-coverage.js";
import { FRAMEWORK_IDS } from "../frameworks/index.js";
import { asObject, asString, asStrings, type Control, type Repository } from "../model.js";
import { OSCAL_NAMESPACE, uuidV5 } from "./uuid.js";
import {
  NIST_CATALOG,
  nistOscalId,
  OSCAL_VERSION,
  PROP,
  PROP_NS,
  toOscalControlId,
  TSC_SOURCE,
} from "./vocabulary.js";

export interface OscalExportOptions {
  /** metadata.last-modified: a timestamp the adapter chose (the latest commit's, or the clock's). */
  lastModified: string;
  /** metadata.version, the document's own version. */
  version: string;
}

type Json = Record<string, unknown>;

export const uuid = (name: string) => uuidV5(name, OSCAL_NAMESPACE);

/** OSCAL's StringDatatype: one line, no leading or trailing white space. */
export const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

export function prop(name: string, value: string, extra: Json = {}): Json[] {
  const v = oneLine(value);
  return v === "" ? [] : [{ name, ns: PROP_NS, value: v, ...extra }];
}

/**
 * The program as an OSCAL component definition: one component (the system soc2.yml describes)
 * whose control implementation lists, for each control and each criterion it addresses, an
 * implemented requirement with the control's description, owner (as a responsible role), cadence,
 * policies, evidence, test procedure and cited framework controls. A second control
 * implementation names the NIST SP 800-53 rev. 5 controls the program reaches through the
 * crosswalk or cites. UUIDs are name-based, so the same program exports the same document.
 */
export function buildComponentDefinition(repo: Repository, options: OscalExportOptions): Json {
  const program = repo.program;
  const organization = oneLine(program?.organization ?? "") || "Organization";
  const system = oneLine(program?.systemName ?? "") || "System";
  const systemDescription =
    asString(asObject(program?.raw.system).description)?.trim() || `The ${system} system.`;
  const owners = asObject(program?.raw.owners);
  const controls = repo.controls
    .filter((c): c is Control & { id: string } => c.id !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id));
  const ownerKeys = [...new Set(controls.flatMap((c) => (c.owner ? [c.owner] : [])))].sort();
  const tscResource = uuid(`resource:${TSC_SOURCE.href}`);
  const nistResource = uuid(`resource:${NIST_CATALOG.href}`);
  const nist = nistImplementation(repo, nistResource);

  return {
    "component-definition": {
      uuid: uuid(`component-definition:${organization}:${system}`),
      metadata: {
        title: `${system}: SOC 2 controls`,
        "last-modified": options.lastModified,
        version: options.version,
        "oscal-version": OSCAL_VERSION,
        ...(ownerKeys.length > 0
          ? {
              roles: ownerKeys.map((key) => ({
                id: key,
                title: oneLine(asString(asObject(owners[key]).title) ?? "") || key,
              })),
            }
          : {}),
        parties: [
          { uuid: uuid(`party:${organization}`), type: "organization", name: organization },
        ],
      },
      components: [
        {
          uuid: uuid(`component:${organization}:${system}`),
          type: "service",
          title: system,
          description: systemDescription,
          purpose: `The system in scope of ${organization}'s SOC 2 examination.`,
          "control-implementations": [
            {
              uuid: uuid(`control-implementation:tsc:${organization}:${system}`),
              source: `#${tscResource}`,
              description:
                "How the program's controls meet the AICPA Trust Services Criteria: one implemented requirement for each control and each criterion it addresses.",
              "implemented-requirements": controls.flatMap((c) =>
                c.criteria.map((criterion) => implementedRequirement(c, criterion)),
              ),
            },
            ...(nist ? [nist] : []),
          ],
        },
      ],
      "back-matter": {
        resources: [
          { uuid: tscResource, title: TSC_SOURCE.title, rlinks: [{ href: TSC_SOURCE.href }] },
          ...(nist
            ? [
                {
                  uuid: nistResource,
                  title: NIST_CATALOG.title,
                  rlinks: [{ href: NIST_CATALOG.href, "media-type": "application/json" }],
                },
              ]
            : []),
        ],
      },
    },
  };
}

function implementedRequirement(control: Control & { id: string }, criterion: string): Json {
  const { description, procedure } = controlText(control);
  return {
    uuid: uuid(`implemented-requirement:${control.id}:${criterion}`),
    "control-id": toOscalControlId(criterion),
    description,
    props: controlProps(control),
    ...(control.owner ? { "responsible-roles": [{ "role-id": control.owner }] } : {}),
    ...(procedure ? { remarks: procedure } : {}),
  };
}

/** A control's description and test procedure, as its file states them. */
export function controlText(control: Control & { id: string }): {
  description: string;
  procedure?: string;
} {
  const raw = asObject(control.file.parsed.value);
  const procedure = asString(asObject(raw.testing).procedure)?.trim();
  return {
    description: asString(raw.description)?.trim() || control.title || control.id,
    ...(procedure ? { procedure } : {}),
  };
}

/** A control's fields as this project's OSCAL properties (docs/formats.md#oscal). */
export function controlProps(control: Control & { id: string }): Json[] {
  const testing = asObject(asObject(control.file.parsed.value).testing);
  return [
    ...prop(PROP.controlId, control.id),
    ...prop(PROP.title, control.title),
    ...prop(PROP.status, control.status),
    ...prop(PROP.frequency, control.frequency ?? ""),
    ...prop(PROP.automation, control.automation ?? ""),
    ...control.policies.flatMap((p) => prop(PROP.policy, p)),
    ...control.evidence.flatMap((e, i) => [
      ...prop(PROP.evidence, e.kind, {
        group: `evidence-${i + 1}`,
        ...(e.description.trim() ? { remarks: e.description.trim() } : {}),
      }),
      ...(e.maxAgeDays
        ? prop(PROP.evidenceMaxAge, String(e.maxAgeDays), { group: `evidence-${i + 1}` })
        : []),
    ]),
    ...asStrings(testing.methods).flatMap((m) => prop(PROP.testingMethod, m)),
    ...FRAMEWORK_IDS.flatMap((f) =>
      control.frameworks[f].flatMap((id) => prop(PROP.framework, id, { class: f })),
    ),
  ];
}

/** The 800-53 controls the program reaches, each with the program controls that reach it and how. */
function nistImplementation(repo: Repository, resource: string): Json | undefined {
  const rows = computeFrameworkCoverage(repo, "nist-800-53").rows.filter(
    (r) => r.status === "covered" || r.status === "planned",
  );
  if (rows.length === 0) return undefined;
  return {
    uuid: uuid("control-implementation:nist-800-53-r5"),
    source: `#${resource}`,
    description:
      "NIST SP 800-53 rev. 5 controls the program's controls reach through soc2-as-code's crosswalk from the Trust Services Criteria (the maintainers' judgement, see docs/frameworks.md) or cite directly. A reached control is related to, not necessarily fully met by, the controls listed.",
    "implemented-requirements": rows.map((r) => ({
      uuid: uuid(`implemented-requirement:nist-800-53:${r.control.id}`),
      "control-id": nistOscalId(r.control.id),
      description: r.controls
        .map(
          (c) =>
            `- ${c.id} ${c.title}${c.status === "implemented" ? "" : ` (${c.status})`}: ${
              c.direct ? "cites it directly" : `through ${c.through.join(", ")}`
            }`,
        )
        .join("\n"),
      props: r.controls.flatMap((c) => prop(PROP.controlId, c.id)),
    })),
  };
}
