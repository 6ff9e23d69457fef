import type { ErrorObject, ValidateFunction } from "ajv";
import { pullRequestFacts as generatedFacts, schemaIds } from "../generated/schema-validators.js";
import type { PullRequestFacts } from "./facts.js";

/** One reason a facts snapshot was rejected, at a JSON path such as reviews[2].state. */
export interface FactsProblem {
  path: string;
  message: string;
}

export type FactsCheck =
  { ok: true; facts: PullRequestFacts } | { ok: false; problems: FactsProblem[] };

export const FACTS_SCHEMA_ID: string = schemaIds.pullRequestFacts;

// Precompiled from the schema by scripts/generate-validators.mjs (ajv standalone code).
const validate = generatedFacts as ValidateFunction;

/**
 * Checks a parsed facts file against schemas/pull-request-facts.schema.json. The evaluator trusts
 * its input's shape, so every adapter and the CLI pass facts through here first.
 */
export function checkFacts(value: unknown): FactsCheck {
  if (validate(value)) return { ok: true, facts: value as PullRequestFacts };
  const seen = new Set<string>();
  const problems: FactsProblem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = describe(error);
    if (!problem) continue;
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return { ok: false, problems };
}

function describe(error: ErrorObject): FactsProblem | undefined {
  const path = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "if":
    case "anyOf":
      // The branches report the concrete problem; the combinator adds only noise.
      return undefined;
    case "required":
      return { path, message: `missing required property "${String(params.missingProperty)}"` };
    case "additionalProperties":
      return {
        path,
        message: `unknown property "${String(params.additionalProperty)}": remove it (the format rejects unknown keys)`,
      };
    case "enum":
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "const":
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case "type":
      // "must be null" comes from the null branch of an optional value; the other branch says more.
      return params.type === "null"
        ? undefined
        : { path, message: `must be ${String(params.type)}` };
    case "propertyNames":
      return undefined; // the nested pattern error names the offending key
    case "pattern": {
      const hint = PATTERN_HINT[String(params.pattern)] ?? `must match ${String(params.pattern)}`;
      const key = error.propertyName;
      return { path, message: key === undefined ? hint : `key ${JSON.stringify(key)} ${hint}` };
    }
    case "format":
      return {
        path,
        message:
          params.format === "date-time"
            ? "must be a timestamp with a time zone, such as 2026-05-01T14:03:00Z"
            : `must be a valid ${String(params.format)}`,
      };
    default:
      return { path, message: error.message ?? "is not valid" };
  }
}

const PATTERN_HINT: Record<string, string> = {
  "^[0-9a-f]{40}([0-9a-f]{24})?$": "must be a full commit SHA (40 lower-case hex digits)",
  "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$": "must be a repository as owner/name",
  "^[A-Za-z0-9-]+/[A-Za-z0-9_.-]+$": "must be a team as org/team-slug",
};

/** `/reviews/2/state` → `reviews[2].state`; the root is `(root)`. */
function jsonPath(pointer: string): string {
  if (pointer === "") return "(root)";
  let out = "";
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
