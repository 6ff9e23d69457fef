import { CATEGORY_NAMES, CATEGORIES, findCriterion, type Category } from "../criteria.js";
import type { Control, Repository } from "../model.js";
import {
  controlProps,
  controlText,
  oneLine,
  prop,
  uuid,
  type OscalExportOptions,
} from "./component-definition.js";
import { OSCAL_VERSION, PROP } from "./vocabulary.js";

type Json = Record<string, unknown>;

/**
 * The program's own controls as an OSCAL catalog, one group per Trust Services category (the
 * category of a control's first criterion): each control's description as its statement, its
 * test procedure as its assessment method, its criteria and fields as properties. A catalog
 * states requirements; how they are met is the component definition's job.
 */
export function buildCatalog(repo: Repository, options: OscalExportOptions): Json {
  const organization = oneLine(repo.program?.organization ?? "") || "Organization";
  const system = oneLine(repo.program?.systemName ?? "") || "System";
  const controls = repo.controls
    .filter((c): c is Control & { id: string } => c.id !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id));
  const categoryOf = (c: Control): Category =>
    findCriterion(c.criteria[0] ?? "")?.category ?? "security";
  const groups = CATEGORIES.map((category) => ({
    category,
    controls: controls.filter((c) => categoryOf(c) === category),
  })).filter((g) => g.controls.length > 0);
  return {
    catalog: {
      uuid: uuid(`catalog:${organization}:${system}`),
      metadata: {
        title: `${system}: SOC 2 controls catalog`,
        "last-modified": options.lastModified,
        version: options.version,
        "oscal-version": OSCAL_VERSION,
      },
      ...(groups.length > 0
        ? {
            groups: groups.map((g) => ({
              id: g.category,
              class: "trust-services-category",
              title: CATEGORY_NAMES[g.category],
              controls: g.controls.map(catalogControl),
            })),
          }
        : {}),
    },
  };
}

function catalogControl(control: Control & { id: string }): Json {
  const { description, procedure } = controlText(control);
  const id = control.id.toLowerCase();
  return {
    id,
    class: "soc2-control",
    title: oneLine(control.title) || control.id,
    props: [
      ...controlProps(control),
      ...control.criteria.flatMap((c) => prop(PROP.criterion, c)),
      ...(control.owner ? prop(PROP.owner, control.owner) : []),
    ],
    parts: [
      { id: `${id}_smt`, name: "statement", prose: description },
      ...(procedure ? [{ id: `${id}_asm`, name: "assessment-method", prose: procedure }] : []),
    ],
  };
}
