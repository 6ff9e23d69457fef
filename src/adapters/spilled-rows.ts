import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Rows } from "../core/rows.js";

const BATCH_BYTES = 1 << 20;

/**
 * Rows that a command must sort before it writes them (a population in merge order), kept in a
 * temporary file rather than in memory: a row costs its sort key here, not its whole text. A
 * decade of evidence is hundreds of thousands of rows of about 1 KB each, which held as objects
 * would take more memory than the records' summaries. Rows are JSON values; they are written in
 * batches and read back one positioned read each, in the order asked for.
 *
 * `close` removes the file; the owner calls it in a `finally`. A process killed outright leaves
 * it in the system's temporary folder, which holds nothing that is not in the evidence.
 */
export class SpilledRows<T, K> {
  private readonly dir = mkdtempSync(join(tmpdir(), "soc2-rows-"));
  private readonly fd = openSync(join(this.dir, "rows.jsonl"), "w+", 0o600);
  // Each row's key and where it lies in the file, in three lists rather than an object a row.
  private readonly keys: K[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private closed = false;
  private buffer = Buffer.alloc(64 * 1024);

  get size(): number {
    return this.keys.length;
  }

  add(key: K, row: T): void {
    const bytes = Buffer.from(JSON.stringify(row), "utf8");
    this.keys.push(key);
    this.offsets.push(this.written + this.pendingBytes);
    this.lengths.push(bytes.length);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= BATCH_BYTES) this.flush();
  }

  /**
   * The rows, sorted by their keys with `compare` (and, for equal keys, by `ties`: see `order`);
   * each is read back as it is reached.
   */
  *sorted(compare: (a: K, b: K) => number, ties?: (a: T, b: T) => number): Generator<T> {
    for (const row of this.order(compare, ties)) yield this.read(row);
  }

  /**
   * The rows sorted by their keys with `compare` (and, for equal keys, by `ties`: see `order`),
   * as a list read a slice at a time (a page of a site): only the slice asked for is read back.
   * Valid until `close`.
   */
  ordered(compare: (a: K, b: K) => number, ties?: (a: T, b: T) => number): Rows<T> {
    const order = this.order(compare, ties);
    return {
      length: order.length,
      slice: (start, end) => order.slice(start, end).map((row) => this.read(row)),
    };
  }

  /** The row added with a key (the last, if a key was added twice), read back when asked for. */
  lookup(): { get(key: K): T | undefined } {
    this.flush();
    const byKey = new Map(this.keys.map((key, row) => [key, row]));
    return {
      get: (key) => {
        const row = byKey.get(key);
        return row === undefined ? undefined : this.read(row);
      },
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The rows' numbers, sorted by their keys (stable: rows of equal keys stay in the order added). */
  /**
   * The rows' numbers, sorted by their keys; rows of equal keys by `ties`, which reads the two
   * rows (so a key can be short, and what rarely decides stays in the file), else in the order
   * they were added.
   */
  private order(compare: (a: K, b: K) => number, ties?: (a: T, b: T) => number): number[] {
    this.flush();
    const keys = this.keys;
    return keys
      .map((_, row) => row)
      .sort((a, b) => compare(keys[a]!, keys[b]!) || (ties ? ties(this.read(a), this.read(b)) : 0));
  }

  private read(row: number): T {
    if (this.closed) throw new Error("the temporary rows file is closed");
    const offset = this.offsets[row]!;
    const length = this.lengths[row]!;
    if (this.buffer.length < length) this.buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, this.buffer, read, length - read, offset + read);
      if (n === 0) throw new Error(`the temporary rows file ended early at byte ${offset + read}`);
      read += n;
    }
    return JSON.parse(this.buffer.toString("utf8", 0, length)) as T;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const batch = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < batch.length)
      done += writeSync(this.fd, batch, done, batch.length - done, this.written + done);
    this.written += batch.length;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
