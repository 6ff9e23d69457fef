import { contentDigest } from "../digest.js";
import type { PendingRecord } from "./pending-record.js";

/** A record's place in the hash chain: its position, and the record digest of its predecessor. */
export interface ChainLink {
  sequence: number;
  /** `recordDigest` of the previous record; null for the first. */
  previous: string | null;
}

/** An evidence record as a store writes it: the envelope of schemas/evidence.schema.json. */
export interface StoredRecord {
  version: 1;
  kind: PendingRecord["kind"];
  id: string;
  controls: string[];
  recorded_at: string;
  source: PendingRecord["source"];
  /** Of `content` only, as `soc2 digest` computes it. */
  digest: string;
  chain: ChainLink;
  content: Record<string, unknown>;
}

// The schema's order, so every record reads the same way: what it is, what it proves, who wrote it
// when, its seals, then the facts.
const SOURCE_KEYS = ["type", "name", "delivery_id", "event", "recovered_by", "run_url"] as const;

/**
 * The envelope of a pending record at a place in the chain. `recordedAt` is the moment of the
 * write; the record's own `recorded_at` is used when it is not given.
 */
export function buildEnvelope(
  record: PendingRecord,
  link: ChainLink,
  recordedAt: string = record.recorded_at,
): StoredRecord {
  const source: Record<string, string> = {};
  for (const key of SOURCE_KEYS) {
    const value = record.source[key];
    if (value !== undefined) source[key] = value;
  }
  return {
    version: 1,
    kind: record.kind,
    id: record.id,
    controls: [...record.controls],
    recorded_at: recordedAt,
    source: source as unknown as PendingRecord["source"],
    digest: contentDigest(record.content),
    chain: { sequence: link.sequence, previous: link.previous },
    content: record.content,
  };
}
