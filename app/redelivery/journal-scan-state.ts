import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeDurably } from "../intake/durable-file.js";
import { parseScanState, type ScanState, type ScanStateStore } from "./scan-state.js";

/**
 * The scan state of the embedded queue: `redelivery.json` in DELIVERY_QUEUE_DIR, written durably.
 * One process owns the journal, so the lock only keeps two scans of this process apart.
 */
export class JournalScanState implements ScanStateStore {
  private running = false;
  private readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, "redelivery.json");
  }

  async exclusive<T>(scan: () => Promise<T>): Promise<T | undefined> {
    if (this.running) return undefined;
    this.running = true;
    try {
      return await scan();
    } finally {
      this.running = false;
    }
  }

  async read(): Promise<ScanState> {
    const text = await readFile(this.file, "utf8").catch(() => undefined);
    try {
      return parseScanState(text === undefined ? undefined : JSON.parse(text));
    } catch {
      return parseScanState(undefined);
    }
  }

  async write(state: ScanState): Promise<void> {
    await writeDurably(this.file, JSON.stringify(state));
  }

  async close(): Promise<void> {}
}
