import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/oscal/${name}`, import.meta.url), "utf8")) as {
    $id: string;
  };

/** NIST's OSCAL v1.2.0 JSON Schemas (draft-07) for the two models `soc2 export oscal` writes. */
export const OSCAL_COMPONENT_SCHEMA = load("oscal_component_schema-1.2.0.json");
export const OSCAL_CATALOG_SCHEMA = load("oscal_catalog_schema-1.2.0.json");

const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
addFormats(ajv);
const validators: Record<"component" | "catalog", ValidateFunction> = {
  component: ajv.compile(OSCAL_COMPONENT_SCHEMA),
  catalog: ajv.compile(OSCAL_CATALOG_SCHEMA),
};

/** The schema's errors for a document, as `path: message` lines (empty when valid). */
export function oscalSchemaErrors(
  document: unknown,
  model: "component" | "catalog" = "component",
): string[] {
  const validate = validators[model];
  return validate(document)
    ? []
    : (validate.errors ?? []).map(
        (e: ErrorObject) => `${e.instancePath || "/"}: ${e.message ?? ""}`,
      );
}
