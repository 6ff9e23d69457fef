import * as jsYaml from "js-yaml";
import { FAILSAFE_SCHEMA, load, Type } from "js-yaml";
import { LIMITS } from "./limits.js";

// js-yaml's int and float types also accept YAML 1.1 forms (0b1011, 1_000, +0x1F, 1:30) that the
// YAML 1.2 core schema reads as strings. These two types resolve exactly the core schema's forms,
// so both parsers give every file the same value.
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/**
 * Whether a plain scalar starts as a number can (a digit, a sign or a dot): most are words, and
 * this look at one character spares them both patterns.
 */
function mayBeNumber(data: string | null): data is string {
  if (data === null) return false;
  const c = data.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e;
}

const coreInt = new Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (data: string | null) => mayBeNumber(data) && INT.test(data),
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
  resolve: (data: string | null) => mayBeNumber(data) && FLOAT.test(data) && !INT.test(data),
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
// (Each character is looked for with indexOf, which skips through the text far faster than a
// pattern tried at every line: a record has a hundred lines and one `[` or none.)
export function needsCarefulParser(text: string): boolean {
  return (
    text.includes("&") ||
    text.includes("*") ||
    text.includes("!") ||
    startsALine(text, "[") ||
    startsALine(text, "{") ||
    startsALine(text, "?", true)
  );
}

const WHITESPACE = /\s/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * Whether `mark` is the first thing on a line other than whitespace (for `?`, followed by
 * whitespace): what a multiline /^\s*(?:\?\s|[[{])/ finds, as \s also takes line breaks.
 */
function startsALine(text: string, mark: string, spaceAfter = false): boolean {
  for (let at = text.indexOf(mark); at >= 0; at = text.indexOf(mark, at + 1)) {
    if (spaceAfter && !WHITESPACE.test(text.charAt(at + 1))) continue;
    let before = at - 1;
    for (; before >= 0; before--) {
      const c = text.charAt(before);
      if (LINE_BREAK.test(c)) return true;
      if (!WHITESPACE.test(c)) break;
    }
    if (before < 0) return true;
  }
  return false;
}

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;
const DOUBLE = 0x22;
const SINGLE = 0x27;
const BACKSLASH = 0x5c;
/** Where a quoted scalar or a comment may start; everything between is skipped by the regex engine. */
const QUOTE_OR_COMMENT = /["'#]/g;
/** Inside a double-quoted scalar: its end, an escape, or a line break. */
const IN_DOUBLE = /["\\\n]/g;
/** Inside a single-quoted scalar: its end (or a doubled quote), or a line break. */
const IN_SINGLE = /['\n]/g;

/**
 * True when a quoted scalar is still open at the end of a line. Runs on every file the validator
 * reads, so it jumps from one quote or comment to the next instead of looking at each character.
 */
export function hasMultilineQuote(text: string): boolean {
  QUOTE_OR_COMMENT.lastIndex = 0;
  for (let found = QUOTE_OR_COMMENT.exec(text); found; found = QUOTE_OR_COMMENT.exec(text)) {
    const i = found.index;
    const c = text.charCodeAt(i);
    const before = i === 0 ? SPACE : text.charCodeAt(i - 1);
    if (c !== DOUBLE && c !== SINGLE) {
      // A comment runs to the end of its line; a # inside plain text is text.
      if (i === 0 || before === SPACE || before === NEWLINE) {
        const end = text.indexOf("\n", i);
        if (end < 0) return false;
        QUOTE_OR_COMMENT.lastIndex = end + 1;
      }
      continue;
    }
    // A quote opens a scalar only at its start (after a separator), not inside plain text.
    if (
      before !== SPACE &&
      before !== TAB &&
      before !== NEWLINE &&
      before !== 0x5b && // [
      before !== 0x7b && // {
      before !== 0x2c // ,
    )
      continue;
    const end = closingQuote(text, i + 1, c);
    if (end < 0) return true;
    QUOTE_OR_COMMENT.lastIndex = end + 1;
  }
  return false;
}

/** Where the quoted scalar that starts before `from` ends, or -1 when a line ends first. */
function closingQuote(text: string, from: number, quote: number): number {
  const inside = quote === DOUBLE ? IN_DOUBLE : IN_SINGLE;
  inside.lastIndex = from;
  for (let found = inside.exec(text); found; found = inside.exec(text)) {
    const at = found.index;
    const c = text.charCodeAt(at);
    if (c === NEWLINE) return -1;
    if (c === BACKSLASH) {
      // An escaped character; an escaped line break continues the scalar on the next line.
      if (text.charCodeAt(at + 1) === NEWLINE) return -1;
      inside.lastIndex = at + 2;
    } else if (quote === SINGLE && text.charCodeAt(at + 1) === SINGLE) {
      inside.lastIndex = at + 2;
    } else return at;
  }
  return -1;
}

/**
 * Reads a well-formed YAML file quickly (js-yaml is about ten times faster than the `yaml`
 * library). Returns undefined for anything unusual, which the careful parser then reads and
 * reports with exact positions.
 */
export function loadFast(text: string): { value: unknown } | undefined {
  if (needsCarefulParser(text) || hasMultilineQuote(text)) return undefined;
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
