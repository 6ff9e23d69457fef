/**
 * Lenient readers for values whose shape is not guaranteed: parsed YAML before (or despite) its
 * schema, webhook payloads and API answers, whose shapes vary between events. Each returns a safe
 * empty value instead of throwing.
 */
export type JsonObject = Record<string, unknown>;

/** The value as a mapping, or {} (arrays are not mappings). */
export const asObject = (v: unknown): JsonObject =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : {};

/** The value if it is a string, else undefined. */
export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The value if it is a string, else "". */
export const textOf = (v: unknown): string => (typeof v === "string" ? v : "");

/** The value if it is a list, else []. */
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The strings of a list, skipping anything else. */
export const asStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
