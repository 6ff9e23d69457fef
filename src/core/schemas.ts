import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import accessReviewSchema from "../../schemas/access-review.schema.json" with { type: "json" };
import commonSchema from "../../schemas/common.schema.json" with { type: "json" };
import controlSchema from "../../schemas/control.schema.json" with { type: "json" };
import evidenceSchema from "../../schemas/evidence.schema.json" with { type: "json" };
import exceptionReviewSchema from "../../schemas/exception-review.schema.json" with { type: "json" };
import policySchema from "../../schemas/policy.schema.json" with { type: "json" };
import programSchema from "../../schemas/soc2.schema.json" with { type: "json" };
import factsSchema from "../../schemas/pull-request-facts.schema.json" with { type: "json" };
import requestSchema from "../../schemas/request.schema.json" with { type: "json" };
import { closest as closestMatch, distance } from "fastest-levenshtein";
import { diagnostic, type Diagnostic } from "./diagnostics.js";
import type { JsonPath, ParsedYaml } from "./yaml-source.js";

/** The file formats of a compliance repository, each defined by its JSON Schema in schemas/. */
export type FileFormat =
  "program" | "control" | "policy" | "evidence" | "exception-review" | "request" | "access-review";

export const SCHEMA_IDS: Record<FileFormat, string> = {
  program: programSchema.$id,
  control: controlSchema.$id,
  policy: policySchema.$id,
  evidence: evidenceSchema.$id,
  "access-review": accessReviewSchema.$id,
  "exception-review": exceptionReviewSchema.$id,
  request: requestSchema.$id,
};

const FORMAT_NOUN: Record<FileFormat, string> = {
  program: "soc2.yml",
  control: "a control file",
  policy: "a policy's front matter",
  evidence: "an evidence record",
  "access-review": "an access review",
  "exception-review": "an exception review",
  request: "an audit request",
};

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const SCHEMAS: Record<FileFormat, object> = {
  program: programSchema,
  control: controlSchema,
  policy: policySchema,
  evidence: evidenceSchema,
  "access-review": accessReviewSchema,
  "exception-review": exceptionReviewSchema,
  request: requestSchema,
};

let ajv: Ajv2020 | undefined;
const validators: Partial<Record<FileFormat, ValidateFunction>> = {};

// Each format is compiled on first use: compiling costs far more than a start of the CLI, and
// `soc2 evaluate` needs only soc2.yml's (and the controls') schema, never the evidence one.
function compiled(format: FileFormat): ValidateFunction {
  const done = validators[format];
  if (done) return done;
  if (!ajv) {
    ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
    });
    addFormats(ajv);
    ajv.addSchema(commonSchema);
    // A change record embeds the facts snapshot its verdict was computed from.
    ajv.addSchema(factsSchema);
  }
  return (validators[format] = ajv.compile(SCHEMAS[format]));
}

/** Validates a parsed file against its format's schema; every error points at its line and column. */
export function validateAgainstSchema(
  path: string,
  format: FileFormat,
  parsed: ParsedYaml,
): Diagnostic[] {
  const value = parsed.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const what =
      value === null || value === undefined
        ? "empty"
        : Array.isArray(value)
          ? "a list"
          : `a ${typeof value}`;
    return [
      diagnostic(
        path,
        parsed.locate([]),
        "error",
        "schema-type",
        `${FORMAT_NOUN[format]} must be a YAML mapping of keys to values, but it is ${what}`,
      ),
    ];
  }
  const validate = compiled(format);
  if (validate(value)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    // A failed `contains` or `propertyNames` also reports why each item did not match; the contains error says it all.
    if (error.schemaPath.includes("/contains/") || error.schemaPath.includes("/propertyNames/"))
      continue;
    const mapped = mapError(path, error, parsed);
    if (!mapped) continue;
    const key = `${mapped.line}:${mapped.column}:${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mapped);
  }
  return out;
}

function pointerToPath(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function toJsonPath(segments: string[], data: unknown): JsonPath {
  const out: Array<string | number> = [];
  let cursor: unknown = data;
  for (const s of segments) {
    const key: string | number = Array.isArray(cursor) ? Number(s) : s;
    out.push(key);
    cursor =
      cursor && typeof cursor === "object" ? (cursor as Record<string, unknown>)[s] : undefined;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  return String(value);
}

function typeName(t: unknown): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "text",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
  };
  return Array.isArray(t)
    ? t.map((x) => names[String(x)] ?? String(x)).join(" or ")
    : (names[String(t)] ?? String(t));
}

const FORMAT_HINT: Record<string, string> = {
  date: "a date written YYYY-MM-DD (and a real one)",
  "date-time": "a timestamp such as 2026-05-01T14:03:00Z",
  email: "an email address",
  uri: "a full URL such as https://example.com/",
};

function mapError(path: string, e: ErrorObject, parsed: ParsedYaml): Diagnostic | undefined {
  const root = parsed.value;
  const segments = pointerToPath(e.instancePath);
  const jsonPath = toJsonPath(segments, root);
  const where = segments.length > 0 ? segments.join(".") : "the file";
  const field = segments.length > 0 ? `${segments.join(".")}` : "the document";
  const describedBy = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case "if":
    case "allOf":
      return undefined; // the failing branch reports the real error
    case "required": {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-required",
        `${where === "the file" ? "" : where + ": "}missing required property "${missing}"`.replace(
          /^/,
          "",
        ) + hintForMissing(missing),
      );
    }
    case "additionalProperties": {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(
        (e.parentSchema as { properties?: Record<string, unknown> }).properties ?? {},
      );
      const suggestion = closest(extra, known);
      const help = suggestion
        ? `did you mean "${suggestion}"?`
        : known.length > 0
          ? `allowed here: ${known.join(", ")}`
          : "remove it";
      return diagnostic(
        path,
        parsed.locate([...jsonPath, extra], "key"),
        "error",
        "schema-unknown-property",
        `unknown property "${extra}" in ${field === "the document" ? FORMAT_ROOT : field}: ${help}`,
      );
    }
    case "type":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-type",
        `${field} must be ${typeName((e.params as { type: unknown }).type)}, not ${describe(e.data)}`,
      );
    case "enum": {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues
        .map((v) => String(v))
        .join(", ");
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-enum",
        `${field} must be one of ${allowed}; got ${describe(e.data)}`,
      );
    }
    case "const":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-enum",
        `${field} must be ${String((e.params as { allowedValue: unknown }).allowedValue)}; got ${describe(e.data)}`,
      );
    case "pattern":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-pattern",
        `${field} ${describe(e.data)} is not valid${describedBy ? `: expected ${lowerFirst(describedBy)}` : ` (must match ${(e.params as { pattern: string }).pattern})`}`,
      );
    case "format": {
      const format = (e.params as { format: string }).format;
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-format",
        `${field} must be ${FORMAT_HINT[format] ?? format}; got ${describe(e.data)}`,
      );
    }
    case "minItems":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-value",
        `${field} must list at least ${(e.params as { limit: number }).limit} item(s)`,
      );
    case "uniqueItems": {
      // ajv names the two equal items i and j in either order: report the later one.
      const { i, j } = e.params as { i: number; j: number };
      return diagnostic(
        path,
        parsed.locate([...jsonPath, Math.max(i, j)]),
        "error",
        "schema-duplicate-item",
        `${field} lists the same item twice: remove the duplicate`,
      );
    }
    case "contains":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-value",
        `${field} must include ${describeContains(e.parentSchema)}`,
      );
    case "minLength":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-value",
        `${field} is too short: write at least ${(e.params as { limit: number }).limit} characters`,
      );
    case "maxLength":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-value",
        `${field} is too long: at most ${(e.params as { limit: number }).limit} characters`,
      );
    case "minimum":
    case "maximum":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-value",
        `${field} ${e.message ?? "is out of range"}`,
      );
    case "propertyNames": {
      const name = (e.params as { propertyName: string }).propertyName;
      return diagnostic(
        path,
        parsed.locate([...jsonPath, name], "key"),
        "error",
        "schema-pattern",
        `${field === "the document" ? "key" : `${field} key`} "${name}" is not valid: use a short lower-case name such as security-lead`,
      );
    }
    case "minProperties":
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-value",
        `${field} must declare at least ${(e.params as { limit: number }).limit} entry`,
      );
    default:
      return diagnostic(
        path,
        parsed.locate(jsonPath),
        "error",
        "schema-value",
        `${field} ${e.message ?? "is not valid"}`,
      );
  }
}

const FORMAT_ROOT = "the document";

function hintForMissing(name: string): string {
  const hints: Record<string, string> = {
    owner: ": name an owner declared under owners: in soc2.yml",
    criteria: ": list the Trust Services Criteria it addresses (see `soc2 criteria`)",
    digest: ": run `soc2 digest <file>` to compute it",
  };
  return hints[name] ?? "";
}

function describeContains(schema: unknown): string {
  const c = (schema as { contains?: { const?: unknown } } | undefined)?.contains?.const;
  return c === undefined ? "a required item" : `"${String(c)}"`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** The known name closest to a misspelt one (edit distance ≤ 2), to suggest a fix. */
export function closest(name: string, known: string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closestMatch(
    name.toLowerCase(),
    known.map((k) => k.toLowerCase()),
  );
  const index = known.findIndex((k) => k.toLowerCase() === best);
  // Short names are close to everything: allow one edit per three characters, at least one.
  const allowed = Math.max(1, Math.min(2, Math.floor(name.length / 3)));
  return index >= 0 && distance(name.toLowerCase(), best) <= allowed ? known[index] : undefined;
}
