import { createHash } from "node:crypto";

/**
 * An RFC 4122 version 5 (name-based, SHA-1) UUID: the same name in the same namespace gives the
 * same UUID, so an export is reproducible and diffs only where the program changed.
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = namespace.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw new Error(`uuidV5: not a UUID: ${namespace}`);
  const bytes = createHash("sha1")
    .update(Uint8Array.from(ns.match(/../g)!.map((h) => parseInt(h, 16))))
    .update(name, "utf8")
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** RFC 4122's URL namespace. */
const URL_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

/** This project's namespace for the UUIDs of its OSCAL documents. */
export const OSCAL_NAMESPACE = uuidV5(
  "https://github.com/soc2-as-code/soc2-as-code/oscal",
  URL_NAMESPACE,
);
