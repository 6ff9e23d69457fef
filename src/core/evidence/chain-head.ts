import type { StoredRecord } from "./envelope.js";
import { recordDigest } from "./chain.js";

/**
 * `<evidence path>/chain-head.json`: the last record of the chain. The store updates it in the
 * commit that adds the record, so the next writer knows the link without reading every record,
 * and a verifier can tell that records were removed from the end of the chain.
 */
export interface ChainHead {
  sequence: number;
  /** The record's id. */
  record: string;
  /** The record's path from the repository root. */
  path: string;
  /** `recordDigest` of the record. */
  digest: string;
}

export type ChainHeadRead = { ok: true; head: ChainHead } | { ok: false; problem: string };

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The head after a record is appended. */
export function chainHeadFor(record: StoredRecord, path: string): ChainHead {
  return { sequence: record.chain.sequence, record: record.id, path, digest: recordDigest(record) };
}

/** JSON, one field a line, in a fixed order: easy to read in a diff. */
export function serializeChainHead(head: ChainHead): string {
  const ordered: ChainHead = {
    sequence: head.sequence,
    record: head.record,
    path: head.path,
    digest: head.digest,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Reads chain-head.json; never throws. */
export function parseChainHead(text: string): ChainHeadRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { ok: false, problem: "not a JSON object" };
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!Number.isInteger(v.sequence) || (v.sequence as number) < 1)
    problems.push("sequence must be a whole number of at least 1");
  if (typeof v.record !== "string" || v.record === "") problems.push("record must be a record id");
  if (typeof v.path !== "string" || v.path === "") problems.push("path must be a path");
  if (typeof v.digest !== "string" || !DIGEST.test(v.digest))
    problems.push("digest must be sha256: and 64 hex digits");
  const extra = Object.keys(v).filter((k) => !["sequence", "record", "path", "digest"].includes(k));
  if (extra.length > 0) problems.push(`unknown field ${extra.join(", ")}`);
  if (problems.length > 0) return { ok: false, problem: problems.join("; ") };
  return {
    ok: true,
    head: {
      sequence: v.sequence as number,
      record: v.record as string,
      path: v.path as string,
      digest: v.digest as string,
    },
  };
}
