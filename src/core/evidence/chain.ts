import { contentDigest } from "../digest.js";
import type { ChainLink } from "./envelope.js";

/**
 * The digest of a whole record, as the next record's `chain.previous` names it: SHA-256 over the
 * RFC 8785 canonical JSON of the parsed record (envelope, `digest` and `chain` included; the YAML
 * comment and layout are not part of it). A change to any field of a record breaks the link that
 * its successor holds.
 */
export function recordDigest(record: unknown): string {
  return contentDigest(record);
}

/** Where the next record goes, after the head of the chain (none: the chain is empty). */
export function nextLink(head: { sequence: number; digest: string } | undefined): ChainLink {
  return head ? { sequence: head.sequence + 1, previous: head.digest } : { sequence: 1, previous: null };
}
