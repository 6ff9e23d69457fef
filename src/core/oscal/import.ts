import { Document, isScalar, isSeq, visit } from "yaml";
import { findCriterion } from "../criteria.js";
import { contentDigest } from "../digest.js";
import { diagnostic, FILE_START, type Diagnostic } from "../diagnostics.js";
import { FRAMEWORK_IDS, isFrameworkId } from "../frameworks/index.js";
import { asList, asObject, asString, type JsonObject } from "../json-read.js";
import { LIMITS } from "../limits.js";
import { SCHEMA_IDS } from "../schemas.js";
import { formatBytes } from "../source-file.js";
import { decodeUtf8 } from "../utf8.js";
import { parseYaml, type JsonPath } from "../yaml-source.js";
import { fromOscalControlId, PROP } from "./vocabulary.js";

export interface ImportedControl {
  id: string;
  /** The control file's value, keys in the control schema's order. */
  value: JsonObject;
}

export interface OscalImport {
  controls: ImportedControl[];
  diagnostics: Diagnostic[];
  /** Implemented requirements left out because their control-id is not a Trust Services criterion. */
  skipped: number;
}

const CONTROL_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

/** The largest OSCAL document read: a component definition carries many controls, like a record. */
export const MAX_OSCAL_FILE_BYTES = LIMITS.maxEvidenceFileBytes;

/**
 * Reads a component definition from the file's bytes: `bytes` undefined when the file is larger
 * than MAX_OSCAL_FILE_BYTES (it was not read). An empty file, bytes that are not UTF-8 and a NUL
 * byte are each reported with their position, before anything is parsed.
 */
export function readComponentDefinitionFile(
  path: string,
  source: { size: number; bytes?: Uint8Array },
): OscalImport {
  const fail = (d: Diagnostic): OscalImport => ({ controls: [], diagnostics: [d], skipped: 0 });
  if (source.bytes === undefined || source.size > MAX_OSCAL_FILE_BYTES)
    return fail(
      diagnostic(
        path,
        FILE_START,
        "error",
        "file-too-large",
        `file is ${formatBytes(source.size)}, over the ${formatBytes(MAX_OSCAL_FILE_BYTES)} limit for OSCAL documents: import a smaller component definition (split it by component)`,
      ),
    );
  const decoded = decodeUtf8(source.bytes);
  if (!decoded.ok)
    return fail(
      diagnostic(
        path,
        decoded.at,
        "error",
        "encoding",
        `byte 0x${decoded.byte.toString(16).padStart(2, "0")} is not valid UTF-8: save the file as UTF-8`,
      ),
    );
  const text = decoded.text.replace(/^\uFEFF/, "");
  if (text.trim() === "")
    return fail(
      diagnostic(
        path,
        FILE_START,
        "error",
        "oscal-empty-file",
        "the file is empty: expected an OSCAL component definition in JSON (soc2 export oscal writes one); check the file name, or export it again",
      ),
    );
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    const before = text.slice(0, nul).split("\n");
    return fail(
      diagnostic(
        path,
        { line: before.length, column: [...(before.at(-1) ?? "")].length + 1 },
        "error",
        "encoding",
        "the file contains a NUL byte: it looks binary, not JSON; import the component definition's JSON file",
      ),
    );
  }
  return readComponentDefinition(path, text);
}

/**
 * Reads the implemented requirements of an OSCAL component definition (JSON) back into controls:
 * one control per control-id property (this project's exports carry one), else per requirement.
 * Requirements of other catalogs (800-53 in our own export) are skipped and counted. Bad input
 * gives diagnostics with the file, line and column; this never throws on bad data.
 */
export function readComponentDefinition(path: string, text: string): OscalImport {
  const parsed = parseYaml(path, text);
  const out: OscalImport = { controls: [], diagnostics: [...parsed.diagnostics], skipped: 0 };
  if (parsed.diagnostics.length > 0) return out;
  const definition = asObject(parsed.value)["component-definition"];
  if (!definition || typeof definition !== "object" || Array.isArray(definition)) {
    out.diagnostics.push(
      diagnostic(
        path,
        FILE_START,
        "error",
        "oscal-not-component-definition",
        "not an OSCAL component definition: expected a JSON object with a component-definition member (catalogs, profiles and system security plans cannot be imported)",
      ),
    );
    return out;
  }
  const byId = new Map<string, JsonObject>();
  const at = (where: JsonPath) => parsed.locate(where);

  asList(asObject(definition).components).forEach((component, c) =>
    asList(asObject(component)["control-implementations"]).forEach((impl, i) => {
      const base: JsonPath = [
        "component-definition",
        "components",
        c,
        "control-implementations",
        i,
      ];
      const requirements = asList(asObject(impl)["implemented-requirements"]);
      const criteriaHere = requirements.filter((r) =>
        findCriterion(fromOscalControlId(asString(asObject(r)["control-id"]) ?? "")),
      );
      // A control implementation of another catalog (NIST SP 800-53, …) holds no criteria.
      if (criteriaHere.length === 0) {
        out.skipped += requirements.length;
        return;
      }
      requirements.forEach((req, r) => {
        const here: JsonPath = [...base, "implemented-requirements", r];
        const requirement = asObject(req);
        const controlId = asString(requirement["control-id"]);
        const criterion = controlId === undefined ? undefined : fromOscalControlId(controlId);
        if (!criterion || !findCriterion(criterion)) {
          out.skipped++;
          out.diagnostics.push(
            diagnostic(
              path,
              at([...here, "control-id"]),
              "warning",
              "oscal-unknown-criterion",
              `control-id ${JSON.stringify(controlId ?? null)} is not a Trust Services criterion (e.g. cc8.1): this requirement is skipped`,
            ),
          );
          return;
        }
        const props = asList(requirement.props).map(asObject);
        const named = (name: string) =>
          props.filter((p) => p.name === name && typeof p.value === "string");
        const first = (name: string) => asString(named(name)[0]?.value);
        const uuid = asString(requirement.uuid) ?? "";
        const id =
          first(PROP.controlId) ?? `OSCAL-${uuid.replace(/-/g, "").slice(0, 8).toUpperCase()}`;
        if (!CONTROL_ID.test(id)) {
          out.diagnostics.push(
            diagnostic(
              path,
              at([...here, "props"]),
              "error",
              "oscal-bad-control-id",
              `control-id property "${id}" is not a control ID (upper-case words joined by hyphens, e.g. CHG-01): fix it in the document`,
            ),
          );
          return;
        }
        const seen = byId.get(id);
        if (seen) {
          const criteria = seen.criteria as string[];
          if (!criteria.includes(criterion)) criteria.push(criterion);
          return;
        }
        byId.set(id, controlValue(id, criterion, requirement, props));
      });
    }),
  );
  out.controls = [...byId.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, value]) => ({ id, value }));
  return out;
}

function controlValue(
  id: string,
  criterion: string,
  requirement: JsonObject,
  props: JsonObject[],
): JsonObject {
  const values = (name: string) =>
    props
      .filter((p) => p.name === name && typeof p.value === "string")
      .map((p) => p.value as string);
  const first = (name: string) => values(name)[0];
  const description = asString(requirement.description)?.trim() ?? "";
  const owner =
    asString(asObject(asList(requirement["responsible-roles"])[0])["role-id"]) ?? first(PROP.owner);
  const groups = new Map<string, JsonObject>();
  for (const p of props) {
    if (p.name !== PROP.evidence && p.name !== PROP.evidenceMaxAge) continue;
    const key = asString(p.group) ?? `#${groups.size}`;
    const entry = groups.get(key) ?? {};
    if (p.name === PROP.evidence) {
      entry.kind = p.value;
      entry.description = asString(p.remarks)?.trim() ?? "";
    } else if (/^[1-9][0-9]*$/.test(String(p.value))) entry.max_age_days = Number(p.value);
    groups.set(key, entry);
  }
  const frameworks = Object.fromEntries(
    FRAMEWORK_IDS.map((f) => [
      f,
      props
        .filter((p) => p.name === PROP.framework && asString(p.class) === f && isFrameworkId(f))
        .map((p) => String(p.value)),
    ]).filter(([, ids]) => (ids as string[]).length > 0),
  );
  const methods = values(PROP.testingMethod);
  const procedure = asString(requirement.remarks)?.trim();
  const optional = (key: string, value: unknown) =>
    value === undefined || (Array.isArray(value) && value.length === 0) ? {} : { [key]: value };
  return {
    id,
    title: first(PROP.title) ?? (description.split(/\n/)[0] ?? "").slice(0, 120),
    description,
    criteria: [criterion],
    ...optional("owner", owner),
    ...optional("frequency", first(PROP.frequency)),
    ...optional("automation", first(PROP.automation)),
    ...optional("status", first(PROP.status)),
    ...optional("policies", values(PROP.policy)),
    ...optional(
      "evidence",
      [...groups.values()].filter((e) => typeof e.kind === "string"),
    ),
    ...(Object.keys(frameworks).length > 0 ? { frameworks } : {}),
    ...(methods.length > 0 || procedure
      ? { testing: { ...optional("methods", methods), ...optional("procedure", procedure) } }
      : {}),
  };
}

/**
 * Whether two control files say the same thing: equal values once defaults are applied (status
 * implemented, no policies, no frameworks) and text is trimmed. Key order and YAML style do not count.
 */
export function equivalentControls(a: unknown, b: unknown): boolean {
  return contentDigest(normalize(a)) === contentDigest(normalize(b));
}

function normalize(value: unknown): unknown {
  const o = { ...asObject(value) };
  if (o.status === undefined) o.status = "implemented";
  for (const key of ["policies"]) if (asList(o[key]).length === 0) delete o[key];
  if (Object.keys(asObject(o.frameworks)).length === 0) delete o.frameworks;
  return trimAll(o);
}

function trimAll(value: unknown): unknown {
  if (typeof value === "string") return value.trim();
  if (Array.isArray(value)) return value.map(trimAll);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimAll(v)]));
  return value;
}

/** A control file as people write them: lists of IDs in flow style (`criteria: [CC6.1, CC6.2]`). */
export function controlFileText(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return (
    `# yaml-language-server: $schema=${SCHEMA_IDS.control}\n` +
    doc.toString({ lineWidth: 100, flowCollectionPadding: false })
  );
}
