import { hostname } from "node:os";
import { mkdir, open, readdir, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type {
  ClaimedDelivery,
  Delivery,
  DeliveryQueue,
  DeliveryState,
  DeliveryStatus,
  EnqueueResult,
} from "./delivery.js";
import { DELIVERY_ID } from "./delivery.js";
import { syncFolder, writeDurably } from "./durable-file.js";
import { processRuns } from "../../src/adapters/process-runs.js";

export interface JournalQueueOptions {
  /** The folder that holds the journal (created when missing). */
  dir: string;
  /** Done deliveries are remembered this long, so that a late redelivery is seen as a duplicate. */
  doneRetentionMs?: number;
  now: () => Date;
  /**
   * An operator's view (`soc2 app deliveries`) beside the running App: lists without taking the
   * journal over; a replay is left as a request the App applies (or applies when it starts).
   */
  operator?: boolean;
}

interface Entry extends DeliveryStatus {
  claimedBy?: string;
}

/**
 * The embedded delivery queue (ADR 0003): one folder, one process. Each delivery is two small
 * files written durably (fsync'd, then renamed): `bodies/<id>.json`, the signed body as received,
 * and `state/<id>.json`, where it stands. The state lives in memory too, so claiming is cheap; the
 * folder is the truth after a restart. A delivery claimed when the process died is simply still
 * queued, and is handled again (the handlers are idempotent).
 */
export class JournalQueue implements DeliveryQueue {
  readonly kind = "journal";
  private readonly entries = new Map<string, Entry>();
  private readonly storing = new Map<string, Promise<EnqueueResult>>();
  private lastRequestScan = 0;
  private constructor(
    private readonly dir: string,
    private readonly ownerFile: string | undefined,
    private readonly now: () => Date,
  ) {}

  static async open(options: JournalQueueOptions): Promise<JournalQueue> {
    const dir = options.dir;
    if (options.operator && !(await stat(join(dir, "state")).catch(() => undefined)))
      throw new Error(
        `no delivery journal in ${dir}: point DELIVERY_QUEUE_DIR (or --queue-dir) at the App's, or DATABASE_URL at its database`,
      );
    for (const folder of ["bodies", "state", "requests"])
      await mkdir(join(dir, folder), { recursive: true, mode: 0o700 });
    const ownerFile = options.operator ? undefined : join(dir, "owner.pid");
    if (ownerFile) await takeOwnership(ownerFile);
    const queue = new JournalQueue(dir, ownerFile, options.now);
    await queue.load(options.now(), options.doneRetentionMs ?? 7 * 86_400_000);
    if (ownerFile) await queue.applyReplayRequests();
    return queue;
  }

  /** Replays an operator asked for while this process owned the journal (see `replay`). */
  private async applyReplayRequests(): Promise<void> {
    this.lastRequestScan = performance.now();
    for (const name of await readdir(join(this.dir, "requests")).catch(() => [] as string[])) {
      const id = name.replace(/\.replay$/, "");
      if (name.endsWith(".replay") && DELIVERY_ID.test(id)) await this.replayNow(id, this.now());
      await unlink(join(this.dir, "requests", name)).catch(() => {});
    }
  }

  private async load(now: Date, retentionMs: number): Promise<void> {
    for (const name of await readdir(join(this.dir, "state"))) {
      if (!name.endsWith(".json")) {
        if (name.includes(".tmp-")) await unlink(join(this.dir, "state", name)).catch(() => {});
        continue;
      }
      const id = name.slice(0, -".json".length);
      const text = await readFile(join(this.dir, "state", name), "utf8").catch(() => undefined);
      const entry = text === undefined ? undefined : parseEntry(text);
      if (!entry || entry.id !== id) continue;
      if (entry.state === "done" && now.getTime() - Date.parse(entry.updatedAt) > retentionMs) {
        await unlink(join(this.dir, "state", name)).catch(() => {});
        continue;
      }
      this.entries.set(id, entry);
    }
  }

  async enqueue(delivery: Delivery): Promise<EnqueueResult> {
    if (!DELIVERY_ID.test(delivery.id)) throw new Error(`not a delivery id: ${delivery.id}`);
    // The same delivery arriving twice at once: the second answers once the first is stored.
    const storing = this.storing.get(delivery.id);
    if (storing) return storing.then(() => "duplicate" as const);
    const work = this.store(delivery);
    this.storing.set(delivery.id, work);
    try {
      return await work;
    } finally {
      this.storing.delete(delivery.id);
    }
  }

  private async store(delivery: Delivery): Promise<EnqueueResult> {
    const known = this.entries.get(delivery.id);
    if (known && known.state !== "dead") return "duplicate";
    const at = delivery.receivedAt.toISOString();
    // The body first: a state file never points at a body that is not on disk.
    await writeDurably(
      this.bodyPath(delivery.id),
      JSON.stringify({
        id: delivery.id,
        event: delivery.event,
        receivedAt: at,
        body: delivery.body,
      }),
    );
    const entry: Entry = {
      id: delivery.id,
      event: delivery.event,
      receivedAt: known?.receivedAt ?? at,
      state: "queued",
      attempts: 0,
      notBefore: at,
      updatedAt: at,
    };
    await this.save(entry);
    return known ? "requeued" : "queued";
  }

  async claim(worker: string, now: Date): Promise<ClaimedDelivery | undefined> {
    if (performance.now() - this.lastRequestScan > 1000) await this.applyReplayRequests();
    let next: Entry | undefined;
    for (const entry of this.entries.values()) {
      if (entry.state !== "queued" || entry.claimedBy) continue;
      if (Date.parse(entry.notBefore) > now.getTime()) continue;
      if (!next || entry.notBefore < next.notBefore) next = entry;
    }
    if (!next) return undefined;
    next.claimedBy = worker;
    const stored = await this.readBody(next.id).catch(() => undefined);
    if (!stored) {
      // A body lost or damaged on disk would otherwise be claimed and fail forever: set it aside
      // for an operator and go on with the next delivery.
      await this.save({
        ...next,
        state: "dead",
        lastError:
          "its stored body is missing or damaged: redeliver it from GitHub (Recent deliveries, or POST /app/hook/deliveries/{id}/attempts)",
        updatedAt: now.toISOString(),
        claimedBy: undefined,
      });
      return this.claim(worker, now);
    }
    const attempt = next.attempts + 1;
    await this.save({ ...next, attempts: attempt, updatedAt: now.toISOString() });
    return { ...stored, attempt };
  }

  async extend(): Promise<void> {
    // One process owns the journal: a claim lasts until it is released.
  }

  async complete(id: string, worker: string, outcome: string, now: Date): Promise<void> {
    const entry = this.held(id, worker);
    await this.save({
      ...entry,
      state: "done",
      outcome,
      updatedAt: now.toISOString(),
      claimedBy: undefined,
    });
    // The payload is not kept once handled: it may hold what nobody should keep longer than needed.
    await unlink(this.bodyPath(id)).catch(() => {});
  }

  async retry(
    id: string,
    worker: string,
    error: string,
    notBefore: Date,
    now: Date,
  ): Promise<void> {
    const entry = this.held(id, worker);
    await this.save({
      ...entry,
      lastError: error,
      notBefore: notBefore.toISOString(),
      updatedAt: now.toISOString(),
      claimedBy: undefined,
    });
  }

  async deadLetter(id: string, worker: string, reason: string, now: Date): Promise<void> {
    const entry = this.held(id, worker);
    await this.save({
      ...entry,
      state: "dead",
      lastError: reason,
      updatedAt: now.toISOString(),
      claimedBy: undefined,
    });
  }

  async release(id: string, worker: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry?.claimedBy !== worker) return;
    // The attempt did not run to an end: it is not counted.
    await this.save({ ...entry, attempts: Math.max(0, entry.attempts - 1), claimedBy: undefined });
  }

  async list(filter: { state?: DeliveryState; limit?: number }): Promise<DeliveryStatus[]> {
    const all = [...this.entries.values()]
      .filter((e) => !filter.state || e.state === filter.state)
      .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
    return all.slice(0, filter.limit ?? all.length).map(publicStatus);
  }

  async replay(id: string, now: Date): Promise<"requeued" | "unknown" | "not-dead"> {
    if (!this.ownerFile) {
      // Another process (the App) owns the journal: leave the request for it.
      const entry = this.entries.get(id);
      if (!entry) return "unknown";
      if (entry.state !== "dead") return "not-dead";
      await writeDurably(join(this.dir, "requests", `${id}.replay`), now.toISOString());
      return "requeued";
    }
    return this.replayNow(id, now);
  }

  private async replayNow(id: string, now: Date): Promise<"requeued" | "unknown" | "not-dead"> {
    const entry = this.entries.get(id);
    if (!entry) return "unknown";
    if (entry.state !== "dead") return "not-dead";
    await this.save({
      ...entry,
      state: "queued",
      attempts: 0,
      notBefore: now.toISOString(),
      updatedAt: now.toISOString(),
      lastError: `replayed after: ${entry.lastError ?? "unknown"}`,
    });
    return "requeued";
  }

  async has(id: string): Promise<boolean> {
    return this.entries.has(id) || this.storing.has(id);
  }

  async nextDue(): Promise<Date | undefined> {
    let next: string | undefined;
    for (const e of this.entries.values())
      if (e.state === "queued" && !e.claimedBy && (!next || e.notBefore < next)) next = e.notBefore;
    return next === undefined ? undefined : new Date(next);
  }

  async close(): Promise<void> {
    if (this.ownerFile) await unlink(this.ownerFile).catch(() => {});
  }

  private held(id: string, worker: string): Entry {
    const entry = this.entries.get(id);
    if (!entry || entry.claimedBy !== worker)
      throw new Error(`delivery ${id} is not held by ${worker}`);
    return entry;
  }

  private async save(entry: Entry): Promise<void> {
    const { claimedBy, ...persisted } = entry;
    await writeDurably(join(this.dir, "state", `${entry.id}.json`), JSON.stringify(persisted));
    this.entries.set(entry.id, claimedBy ? { ...persisted, claimedBy } : persisted);
  }

  private bodyPath(id: string): string {
    return join(this.dir, "bodies", `${id}.json`);
  }

  private async readBody(id: string): Promise<Delivery> {
    const stored = JSON.parse(await readFile(this.bodyPath(id), "utf8")) as {
      id: string;
      event: string;
      receivedAt: string;
      body: string;
    };
    return {
      id: stored.id,
      event: stored.event,
      body: stored.body,
      receivedAt: new Date(stored.receivedAt),
    };
  }
}

function publicStatus(entry: Entry): DeliveryStatus {
  const status: Entry = { ...entry };
  delete status.claimedBy;
  return status;
}

function parseEntry(text: string): Entry | undefined {
  try {
    const value = JSON.parse(text) as Entry;
    return typeof value.id === "string" && typeof value.state === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One process per journal: two would both handle every delivery. A journal left by a process
 * that died on this machine is taken over at once (its pid is gone); one held by a live process
 * is refused with what to do instead.
 */
async function takeOwnership(ownerFile: string): Promise<void> {
  const me = `${process.pid}@${hostname()}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(ownerFile, "wx", 0o600);
      await handle.writeFile(`${me}\n`);
      await handle.sync();
      await handle.close();
      await syncFolder(join(ownerFile, ".."));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = (await readFile(ownerFile, "utf8").catch(() => "")).trim();
    const [pid, host] = holder.split("@");
    if (holder && host === hostname() && !processRuns(Number(pid))) {
      await unlink(ownerFile).catch(() => {});
      continue;
    }
    if (!holder) {
      await unlink(ownerFile).catch(() => {});
      continue;
    }
    throw new Error(
      `the delivery journal ${join(ownerFile, "..")} is in use by process ${holder}: the embedded queue serves one process; stop that process, or run several replicas on PostgreSQL (DATABASE_URL)`,
    );
  }
  throw new Error(`could not take the delivery journal ${join(ownerFile, "..")}`);
}
