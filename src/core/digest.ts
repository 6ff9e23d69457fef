import { createHash } from "node:crypto";
import canonicalizeModule from "canonicalize";

// canonicalize is CommonJS: under NodeNext its default export may arrive wrapped.
const canonicalize = ((canonicalizeModule as unknown as { default?: unknown }).default ??
  canonicalizeModule) as (input: unknown) => string | undefined;

/**
 * The digest of a record's content: SHA-256 over its RFC 8785 canonical JSON, so the same content
 * always hashes the same whatever the key order or YAML style it was written in.
 */
export function contentDigest(content: unknown): string {
  const canonical = canonicalize(content) ?? "null";
  return `sha256:${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
}

export function bytesDigest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
