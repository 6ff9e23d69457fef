import type { AppendResult, PendingRecord } from "../../core/evidence/pending-record.js";

/** What a batch write says about each record of the batch, by id: stored, or why not. */
export type BatchResults = ReadonlyMap<string, AppendResult | Error>;

/** Writes a batch of records with distinct ids as one commit; throws when the whole batch failed. */
export type BatchWriter = (records: PendingRecord[]) => Promise<BatchResults>;

interface Waiter {
  record: PendingRecord;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Records in one commit at most, by default. */
export const DEFAULT_MAX_BATCH_RECORDS = 100;

export interface GroupCommitOptions {
  /** Records in one batch at most. Default 100. */
  maxRecords?: number;
  /**
   * Runs the writing of each batch inside it, e.g. while holding a lock shared with other
   * processes. The batch is taken from the waiting appends only once inside, so that what arrives
   * while the lock is awaited joins the batch.
   */
  around?: (write: () => Promise<void>) => Promise<void>;
  /** What each caller of a batch gets when `around` fails (the lock could not be had). */
  failure?: (error: unknown, record: PendingRecord) => unknown;
}

/**
 * Group commit: one batch is written at a time; appends that arrive while it is written wait and
 * go together into the next one. A lone append is written at once (no timer, no added latency);
 * under load, batches grow by themselves to what arrives during one commit.
 *
 * Each append resolves only with its batch, that is once the store has made the commit durable
 * (the branch points to it, or it is pushed), and rejects when the batch failed for good. An id
 * appended twice before its batch is written is written once: the first caller learns `written`,
 * the others `exists`, with the same commit.
 */
export class GroupCommit {
  private pending: Waiter[] = [];
  private writing = false;

  private readonly maxRecords: number;

  constructor(
    private readonly write: BatchWriter,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxRecords = Math.max(1, options.maxRecords ?? DEFAULT_MAX_BATCH_RECORDS);
  }

  append(record: PendingRecord): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ record, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) await this.writeNext();
    } finally {
      this.writing = false;
    }
  }

  private async writeNext(): Promise<void> {
    let taken: Map<string, Waiter[]> | undefined;
    const run = async () => {
      taken = this.take();
      await this.writeTaken(taken);
    };
    const { around, failure } = this.options;
    try {
      await (around ? around(run) : run());
    } catch (error) {
      // `around` failed, before the batch was taken or after it was answered (then this is a no-op).
      for (const waiters of (taken ?? this.take()).values())
        for (const w of waiters) w.reject(failure ? failure(error, w.record) : error);
    }
  }

  /** The next batch: waiters by id, in arrival order, up to maxRecords distinct ids. */
  private take(): Map<string, Waiter[]> {
    const byId = new Map<string, Waiter[]>();
    let taken = 0;
    for (const waiter of this.pending) {
      const same = byId.get(waiter.record.id);
      if (same) same.push(waiter);
      else if (byId.size < this.maxRecords) byId.set(waiter.record.id, [waiter]);
      else break;
      taken++;
    }
    this.pending = this.pending.slice(taken);
    return byId;
  }

  /** Writes a batch and answers each of its callers; never throws. */
  private async writeTaken(byId: Map<string, Waiter[]>): Promise<void> {
    let results: BatchResults;
    try {
      results = await this.write([...byId.values()].map((waiters) => waiters[0]!.record));
    } catch (error) {
      for (const waiters of byId.values()) for (const w of waiters) w.reject(error);
      return;
    }
    for (const [id, [first, ...others]] of byId) {
      const result = results.get(id) ?? new Error(`the store did not say what became of record ${id}`);
      if (result instanceof Error) {
        first!.reject(result);
        for (const w of others) w.reject(result);
        continue;
      }
      first!.resolve(result);
      const again: AppendResult = {
        status: "exists",
        path: result.path,
        ...(result.commit ? { commit: result.commit } : {}),
      };
      for (const w of others) w.resolve(again);
    }
  }
}
