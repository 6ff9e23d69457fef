/**
 * An evidence record before it is stored: what the App (or the CLI) wants to record. The store
 * adds what only it can know (the hash-chain link and the digests) and writes it exactly once.
 */
export interface PendingRecord {
  /** The record's path under the evidence folder without extension; also its id. Deterministic, so a redelivered webhook maps to the same record. */
  id: string;
  kind: "change-record" | "review-event" | "pull-request-event" | "attestation" | "settings-snapshot";
  controls: string[];
  /** When the record is written (ISO 8601, UTC). */
  recorded_at: string;
  source: {
    type: "github-app" | "github-action" | "cli" | "manual";
    name?: string;
    delivery_id?: string;
    event?: string;
    run_url?: string;
  };
  /** The facts, already redacted of anything token-like. */
  content: Record<string, unknown>;
}

/** The result of appending a record. */
export interface AppendResult {
  /** written: this call stored it; exists: a record with this id was already stored (a redelivery, or another replica won). */
  status: "written" | "exists";
  /** Path of the record file from the evidence repository's root. */
  path: string;
  /** The commit that added the record, when known. */
  commit?: string;
  /** The record's place in the evidence hash chain, when this call wrote it. */
  sequence?: number;
}

/**
 * Where evidence records go. Implementations: a git repository through simple-git (local or any
 * remote), and a GitHub repository through the Git Data API. Both are append-only, idempotent by
 * record id, and retry conflicting concurrent writes until the record is stored.
 */
export interface EvidenceStore {
  append(record: PendingRecord): Promise<AppendResult>;
  /**
   * The records stored in one folder of the evidence (e.g. one pull request's events), parsed, as
   * they are on the evidence branch. Optional: a store that cannot read back leaves it out.
   */
  readFolder?(folder: string, selection: FolderSelection): Promise<unknown[]>;
}

/** Which records of a folder to read: by file name, newest (greatest name) first, at most `limit`. */
export interface FolderSelection {
  select: (name: string) => boolean;
  limit: number;
}
