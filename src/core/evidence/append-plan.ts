import { formatDiagnostic } from "../diagnostics.js";
import { loadSourceFile } from "../source-file.js";
import { recordDigest, nextLink } from "./chain.js";
import { chainHeadFor, serializeChainHead, type ChainHead } from "./chain-head.js";
import { buildEnvelope, type StoredRecord } from "./envelope.js";
import type { PendingRecord } from "./pending-record.js";
import { chainHeadPath, recordIdProblem, recordPath } from "./record-path.js";
import { redactDeep } from "./redact.js";
import { serializeRecord } from "./serialize.js";

export interface AppendInput {
  record: PendingRecord;
  /** The chain head on the branch tip the commit will be based on; undefined when there is none yet. */
  head: ChainHead | undefined;
  evidencePath: string;
  /** The moment of this write attempt (ISO 8601), stamped as `recorded_at`. Default: the record's. */
  recordedAt?: string;
}

/** The two files of one append, ready to commit together. */
export interface AppendPlan {
  path: string;
  text: string;
  headPath: string;
  headText: string;
  record: StoredRecord;
  head: ChainHead;
}

export type AppendPlanResult = { ok: true; plan: AppendPlan } | { ok: false; problems: string[] };

/**
 * Everything a store writes for one record, computed from the record and the current chain head.
 * The record text is read back the way `soc2 validate` reads it: a record that would not validate,
 * or whose text would not hash to the digests written in it, is refused before anything is stored.
 */
export function planAppend(input: AppendInput): AppendPlanResult {
  const { record } = input;
  const idProblem = recordIdProblem(record.id);
  if (idProblem) return { ok: false, problems: [idProblem] };
  const path = recordPath(input.evidencePath, record.id);
  // Plain JSON values only (no undefined, dates or class instances), so that what is hashed is
  // exactly what any reader gets back from the file. Redacting again is a no-op on clean content.
  const content = redactDeep(toJson(record.content)) as Record<string, unknown>;
  const source = redactDeep(toJson(record.source)) as PendingRecord["source"];
  const stored = buildEnvelope(
    { ...record, content, source, controls: [...record.controls] },
    nextLink(input.head),
    input.recordedAt ?? record.recorded_at,
  );
  const text = serializeRecord(stored);
  const bytes = new TextEncoder().encode(text);
  const loaded = loadSourceFile({ path, size: bytes.length, bytes }, "evidence");
  const problems = loaded.diagnostics.map(formatDiagnostic);
  if (problems.length > 0) return { ok: false, problems };
  if (recordDigest(loaded.file?.parsed.value) !== recordDigest(stored))
    return {
      ok: false,
      problems: [`${path}: the YAML text does not read back as the record that was hashed`],
    };
  const head = chainHeadFor(stored, path);
  return {
    ok: true,
    plan: {
      path,
      text,
      headPath: chainHeadPath(input.evidencePath),
      headText: serializeChainHead(head),
      record: stored,
      head,
    },
  };
}

function toJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
