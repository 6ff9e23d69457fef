/**
 * A deep copy of plain data (JSON values) whose strings hold no reference to the text they were
 * read from. Through JSON rather than property by property: objects built key by key from `{}`
 * in many different shapes exhaust V8's hidden classes and fall back to slow dictionaries three
 * times the size (measured: a population row took 1.4 KB more), while JSON.parse builds compact
 * objects of fresh strings. Keys whose value is undefined are left out, as JSON does.
 */
export function detach<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * A copy of a string that holds no reference to the text it was read from. A parser's strings
 * are slices of the file's text, and V8 keeps the whole text alive for as long as any slice of
 * it lives: a kept 71-character digest would keep its record's 4 KB text.
 */
export function ownCopy(text: string): string {
  // Through bytes: a flat string of its own (80 bytes for 56 characters). Concatenation then
  // slicing, the other way to make V8 copy, keeps a slice (32 bytes more) over a flattened copy.
  // Latin-1 only when every code unit fits, so that no character (not even a lone surrogate) changes.
  return ONE_BYTE.test(text)
    ? Buffer.from(text, "latin1").toString("latin1")
    : (" " + text).slice(1);
}

// eslint-disable-next-line no-control-regex
const ONE_BYTE = /^[\u0000-\u00ff]*$/;

/**
 * One kept copy of values that repeat across records (kinds, control ids, writers): a field that
 * every record holds costs one string, not one per record. Bounded, so unique values cost at most
 * a copy each.
 */
export function sharedCopy(text: string): string {
  const known = SHARED.get(text);
  if (known !== undefined) return known;
  const copy = ownCopy(text);
  if (text.length <= SHARED_MAX_LENGTH && SHARED.size < SHARED_MAX) SHARED.set(copy, copy);
  return copy;
}

const SHARED = new Map<string, string>();
const SHARED_MAX = 4096;
const SHARED_MAX_LENGTH = 64;
