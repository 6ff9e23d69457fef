/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object keys sorted by UTF-16 code
 * units, no whitespace, numbers and strings as ECMAScript's JSON.stringify writes them. The same
 * output as the `canonicalize` package (test/core/canonical-json.test.ts compares the two), in
 * about half the time: it runs on every record a validation reads, and that package built each
 * level with Array.reduce and a template string per member.
 */
export function canonicalJson(value: unknown): string {
  return write(value);
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
