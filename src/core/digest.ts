import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/**
 * The digest of a record's content: SHA-256 over its RFC 8785 canonical JSON, so the same content
 * always hashes the same whatever the key order or YAML style it was written in.
 */
export function contentDigest(content: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(content), "utf8").digest("hex")}`;
}

export function bytesDigest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
