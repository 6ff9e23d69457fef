/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object keys sorted by UTF-16 code
 * units, no whitespace, numbers and strings as ECMAScript's JSON.stringify writes them. The same
 * output as the `canonicalize` package (test/core/canonical-json.test.ts compares the two), in
 * about half the time: it runs on every record a validation reads, and that package built each
 * level with Array.reduce and a template string per member.
 */
export function canonicalJson(value: unknown): string {
  // Most values are plain data (parsed YAML or JSON): sorted copies of the objects whose keys
  // are out of order, then the engine's JSON.stringify, take half the time of writing each
  // piece here. What the engine would order or write differently goes the careful way.
  const sorted = sortedForStringify(value);
  // undefined and symbols have no JSON text: write() calls them null.
  return sorted === DIFFERENT ? write(value) : (JSON.stringify(sorted) ?? "null");
}

/** Marks a value JSON.stringify would not write as RFC 8785 asks, even with its keys sorted. */
const DIFFERENT = Symbol("write it member by member");

/** An array index, which the engine lists before every other key whatever order it was added in. */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/**
 * The value with every object's keys in RFC 8785's order, copying only the objects (and the
 * arrays holding them) that change; DIFFERENT when JSON.stringify would differ from write():
 * a number with no JSON form (write refuses it), a function, a toJSON method, anything but a
 * plain object or array (a Date, a boxed string), or a key the engine would not keep in sorted order
 * (an array index) or could not add as data (`__proto__`).
 */
function sortedForStringify(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : DIFFERENT;
  if (typeof value === "function") return DIFFERENT;
  if (value === null || typeof value !== "object") return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return DIFFERENT;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return DIFFERENT;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = sortedForStringify(value[i]);
      if (item === DIFFERENT) return DIFFERENT;
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return DIFFERENT;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1]! < keys[i]!;
  let copy: Record<string, unknown> | undefined;
  if (!inOrder) {
    if (!copyable(keys)) return DIFFERENT;
    keys.sort();
    copy = {};
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = sortedForStringify(record[key]);
    if (member === DIFFERENT) return DIFFERENT;
    if (copy === undefined) {
      if (member === record[key]) continue;
      // In order already, but a member changed: a copy, with the members before it.
      if (!copyable(keys)) return DIFFERENT;
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]!] = record[keys[j]!];
    }
    copy[key] = member;
  }
  return copy ?? value;
}

/** Whether a new object given these keys in order lists them in that order, all as data. */
function copyable(keys: readonly string[]): boolean {
  return !keys.some((key) => INDEX_KEY.test(key) || key === "__proto__");
}

/** Strings JSON.stringify would write unchanged between quotes: no quote, backslash, control or lone surrogate. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON must escape
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function text(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

function write(value: unknown): string {
  switch (typeof value) {
    case "string":
      return text(value);
    case "number":
      if (!Number.isFinite(value)) throw new Error(`${value} has no JSON form`);
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      break;
    default:
      // undefined, functions and symbols: JSON.stringify's reading (undefined).
      return JSON.stringify(value) ?? "null";
  }
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === "function") return write((withJson.toJSON as () => unknown)());
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ",";
      out += item === undefined || typeof item === "symbol" ? "null" : write(item);
    }
    return out + "]";
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as RFC 8785 asks.
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined || typeof member === "symbol") continue;
    if (!first) out += ",";
    first = false;
    out += text(key) + ":" + write(member);
  }
  return out + "}";
}
