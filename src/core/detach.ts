/** A deep copy of plain data whose strings hold no reference to the text they were read from. */
export function detach<T>(value: T): T {
  if (typeof value === "string") return ownCopy(value) as T;
  if (Array.isArray(value)) return value.map(detach) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = detach(v);
    return out as T;
  }
  return value;
}

/**
 * A copy of a string that holds no reference to the text it was read from. A parser's strings
 * are slices of the file's text, and V8 keeps the whole text alive for as long as any slice of
 * it lives: a kept 71-character digest would keep its record's 4 KB text.
 */
export function ownCopy(text: string): string {
  // Concatenation then slicing makes V8 flatten the string into a new one of its own.
  return (" " + text).slice(1);
}
