import * as jsYaml from "js-yaml";
import { FAILSAFE_SCHEMA, load, Type } from "js-yaml";
import { LIMITS } from "./limits.js";

// js-yaml's int and float types also accept YAML 1.1 forms (0b1011, 1_000, +0x1F, 1:30) that the
// YAML 1.2 core schema reads as strings. These two types resolve exactly the core schema's forms,
// so both parsers give every file the same value.
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const coreInt = new Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && INT.test(data),
  construct: (data: string) =>
    data.startsWith("0o")
      ? parseInt(data.slice(2), 8)
      : data.startsWith("0x")
        ? parseInt(data.slice(2), 16)
        : parseInt(data, 10),
  predicate: (value: unknown) => Number.isInteger(value),
});

const coreFloat = new Type("tag:yaml.org,2002:float", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && FLOAT.test(data) && !INT.test(data),
  construct: (data: string) => {
    const lower = data.toLowerCase();
    if (lower.endsWith(".nan")) return NaN;
    if (lower.endsWith(".inf")) return lower.startsWith("-") ? -Infinity : Infinity;
    return parseFloat(data);
  },
  predicate: (value: unknown) => typeof value === "number" && !Number.isInteger(value),
});

// js-yaml exports its built-in types at run time; its type declarations omit them.
const builtIn = (jsYaml as unknown as { types: { null: Type; bool: Type } }).types;
const YAML_12_CORE = FAILSAFE_SCHEMA.extend({
  implicit: [builtIn.null, builtIn.bool, coreInt, coreFloat],
});

// Constructs whose reading differs between parsers, or that could hide a resource attack:
// anchors, aliases and tags (&, *, !) and complex keys (a line starting with ? or a flow
// collection). Quoted strings that continue on another line are found by hasMultilineQuote.
const NEEDS_CAREFUL_PARSER = /[&*!]|^\s*(?:\?\s|[[{])/m;

/** True when a quoted scalar is still open at the end of a line. */
function hasMultilineQuote(text: string): boolean {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === undefined) {
      if (c === '"' || c === "'") {
        // A quote opens a scalar only at its start (after a separator), not inside plain text.
        const before = i === 0 ? " " : text[i - 1];
        if (
          before === " " ||
          before === "\t" ||
          before === "\n" ||
          before === "[" ||
          before === "{" ||
          before === ","
        )
          quote = c;
      } else if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\n")) {
        const end = text.indexOf("\n", i);
        i = end < 0 ? text.length : end;
      }
    } else if (c === "\n") {
      return true;
    } else if (quote === '"' && c === "\\") {
      i++;
    } else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else quote = undefined;
    }
  }
  return quote !== undefined;
}

/**
 * Reads a well-formed YAML file quickly (js-yaml is about ten times faster than the `yaml`
 * library). Returns undefined for anything unusual, which the careful parser then reads and
 * reports with exact positions.
 */
export function loadFast(text: string): { value: unknown } | undefined {
  if (NEEDS_CAREFUL_PARSER.test(text) || hasMultilineQuote(text)) return undefined;
  let value: unknown;
  try {
    value = load(text, { schema: YAML_12_CORE });
  } catch {
    return undefined;
  }
  // Too deep, or .inf, .nan and 1e400: the careful parser reports where they are written.
  if (tooDeepOrNonFinite(value, LIMITS.maxDepth)) return undefined;
  // An empty document is null, as the careful parser reads it.
  return { value: value === undefined ? null : value };
}

/**
 * Whether a value nests deeper than `limit` or holds a number with no JSON form, in one walk that
 * allocates nothing per value (this runs on every record a validation reads).
 */
function tooDeepOrNonFinite(root: unknown, limit: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return true;
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth > limit) return true;
    if (Array.isArray(value)) {
      for (const child of value) {
        values.push(child);
        depths.push(depth + 1);
      }
    } else {
      for (const key in value) {
        values.push((value as Record<string, unknown>)[key]);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
