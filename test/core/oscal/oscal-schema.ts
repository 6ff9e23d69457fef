import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const schemaPath = new URL(
  "../../fixtures/oscal/oscal_component_schema-1.2.0.json",
  import.meta.url,
);

/** NIST's OSCAL v1.2.0 component-definition schema (draft-07), compiled once. */
export const OSCAL_COMPONENT_SCHEMA = JSON.parse(readFileSync(schemaPath, "utf8")) as {
  $id: string;
};

const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
addFormats(ajv);
const validate = ajv.compile(OSCAL_COMPONENT_SCHEMA);

/** The schema's errors for a document, as `path: message` lines (empty when valid). */
export function oscalSchemaErrors(document: unknown): string[] {
  return validate(document)
    ? []
    : (validate.errors ?? []).map(
        (e: ErrorObject) => `${e.instancePath || "/"}: ${e.message ?? ""}`,
      );
}
