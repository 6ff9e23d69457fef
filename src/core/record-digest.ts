import { isMap, isScalar, parseDocument } from "yaml";
import { contentDigest } from "./digest.js";
import { firstNonFinite, NON_FINITE_FIX } from "./finite.js";
import { LIMITS } from "./limits.js";
import { asObject } from "./model.js";

export type RecordDigest =
  { ok: true; digest: string; recorded?: string; text?: string } | { ok: false; problem: string };

/**
 * Computes an evidence record's content digest. With `fill`, also returns the record's text with
 * the digest written in, but only when the record has none yet: an existing digest is never
 * replaced, because evidence is append-only and a changed digest would hide an edit.
 */
export function recordDigest(text: string, fill: boolean): RecordDigest {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0)
    return {
      ok: false,
      problem: `not valid YAML (${doc.errors[0]!.message.split("\n")[0]}): run soc2 validate for details`,
    };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  const nonFinite = firstNonFinite(value);
  if (nonFinite !== undefined)
    return {
      ok: false,
      problem: `${nonFinite.join(".")} is not a finite number (infinity, NaN or too large), which no digest can hold: ${NON_FINITE_FIX} (run soc2 validate for its line and column)`,
    };
  const record = asObject(value);
  if (record.content === undefined)
    return {
      ok: false,
      problem: "the record has no content: to compute a digest, write the record's content first",
    };
  const digest = contentDigest(record.content);
  const recorded =
    typeof record.digest === "string" && record.digest !== "" ? record.digest : undefined;
  if (!fill || recorded !== undefined)
    return { ok: true, digest, ...(recorded ? { recorded } : {}) };
  // Insert one line just before `content:`, where a reader of the envelope expects the digest,
  // and leave every other byte as the author wrote it.
  const root = doc.contents;
  const emptyDigest = isMap(root)
    ? root.items.find((p) => isScalar(p.key) && p.key.value === "digest")
    : undefined;
  if (isScalar(emptyDigest?.value) && emptyDigest.value.value !== null && emptyDigest.value.range) {
    // `digest: ""` or `digest:` left as a placeholder: fill in that line instead of adding another.
    const [start, end] = emptyDigest.value.range;
    return { ok: true, digest, text: `${text.slice(0, start)}${digest}${text.slice(end)}` };
  }
  if (emptyDigest) {
    const keyStart = isScalar(emptyDigest.key) ? (emptyDigest.key.range?.[0] ?? 0) : 0;
    const lineEnd = text.indexOf("\n", keyStart);
    return {
      ok: true,
      digest,
      text: `${text.slice(0, keyStart)}digest: ${digest}${lineEnd < 0 ? "" : text.slice(lineEnd)}`,
    };
  }
  const contentKey = isMap(root)
    ? root.items.find((p) => isScalar(p.key) && p.key.value === "content")?.key
    : undefined;
  const offset = isScalar(contentKey) ? contentKey.range?.[0] : undefined;
  if (offset === undefined)
    return { ok: false, problem: "content must be a top-level key of the record" };
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return {
    ok: true,
    digest,
    text: `${text.slice(0, lineStart)}digest: ${digest}\n${text.slice(lineStart)}`,
  };
}
