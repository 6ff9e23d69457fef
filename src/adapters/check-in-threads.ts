import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { fromPortable, type PortableRecord } from "../core/evidence-retention.js";
import type { SourceFile } from "../core/source-file.js";
import type { CheckedEvidence } from "../core/validate.js";

/** What each thread sets its validation up from (structured-cloned to it once). */
export interface ThreadSetup {
  /** The repository's folder, which the threads read records from. */
  dir: string;
  /** The repository's files other than its records: soc2.yml, controls, policies and the rest. */
  files: SourceFile[];
  now: Date;
  evidenceFolderExists?: boolean;
}

/** A batch of records sent to a thread, and what it sends back. */
export interface Batch {
  index: number;
  paths: readonly string[];
}
export interface CheckedBatch {
  batch: number;
  checked: Array<Omit<CheckedEvidence, "record"> & { record?: PortableRecord }>;
}

export interface CheckInThreadsOptions {
  threads: number;
  /** Checks one record on this thread, which takes its share and the records of a worker that stopped. */
  checkHere: (path: string) => CheckedEvidence;
  /** Reads a record again, for the position of a finding made after its summary was kept. */
  reread: (path: string) => Uint8Array | undefined;
  /** Told once for each thread that stops before its work is done (its records are checked here). */
  onThreadFailure?: (error: Error) => void;
  /** The worker's module; tests give one that fails. */
  workerUrl?: URL;
  /**
   * Whether this thread checks batches while it waits (default true); false: it checks only what
   * a stopped worker held, so that tests know the workers did the checking.
   */
  takeShare?: boolean;
}

/** Records a thread is sent at once: enough that messages cost little beside the checks. */
const BATCH = 64;
/** Batches each thread has at once, so that it never waits for its next one. */
const IN_FLIGHT = 2;
/** Batches checked ahead of the oldest one not yet yielded: bounds what waits in memory. */
const AHEAD_PER_THREAD = 4;
/** A thread costs about 0.1 s to start (it loads the checks): worth it from this many records. */
const RECORDS_PER_THREAD = 1000;
/** Threads by default at most: each holds its own heap (about 30 MB). */
const MAX_DEFAULT_THREADS = 4;

/** The worker's module, compiled beside this one. */
const WORKER_URL = new URL("./validation-worker.js", import.meta.url);

/**
 * One thread per core, up to four, for repositories large enough to pay for starting them; one
 * when the worker's compiled module is not there (run from the TypeScript sources, as the tests
 * are, where a worker could only run an older build).
 */
export function defaultThreads(
  records: number,
  cores = availableParallelism(),
  workerReady = existsSync(fileURLToPath(WORKER_URL)),
): number {
  if (!workerReady) return 1;
  return Math.max(
    1,
    Math.min(cores, MAX_DEFAULT_THREADS, Math.floor(records / RECORDS_PER_THREAD)),
  );
}

/**
 * Checks evidence records in `threads` threads (this one and worker threads) and yields what
 * each record's checks found, in the order of `paths`, so that the validation gathering them
 * reaches the same result as checking them one by one here. A worker that fails (it cannot
 * start, or it dies) costs no record: the batches it held are checked on this thread, and so is
 * everything once no worker is left.
 */
export async function* checkInThreads(
  setup: ThreadSetup,
  paths: readonly string[],
  options: CheckInThreadsOptions,
): AsyncGenerator<CheckedEvidence> {
  const batches: string[][] = [];
  for (let i = 0; i < paths.length; i += BATCH) batches.push(paths.slice(i, i + BATCH));
  const checkHere = (index: number) => batches[index]!.map((path) => options.checkHere(path));
  const done = new Map<number, CheckedEvidence[]>();
  const orphaned = new Set<number>();
  const window = options.threads * AHEAD_PER_THREAD;
  let handedOut = 0;
  let yielded = 0;
  let alive = 0;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const workers: Array<{ worker: Worker; feed: () => void }> = [];
  const url = options.workerUrl ?? WORKER_URL;
  const startWorker = (): void => {
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData: setup });
    } catch (error) {
      // Refused at once (e.g. no memory for another thread): the others, or this one, go on.
      options.onThreadFailure?.(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const held = new Set<number>();
    let stopped = false;
    alive++;
    const feed = () => {
      while (
        !stopped &&
        held.size < IN_FLIGHT &&
        handedOut < batches.length &&
        handedOut < yielded + window
      ) {
        const index = handedOut++;
        held.add(index);
        worker.postMessage({ index, paths: batches[index]! } satisfies Batch);
      }
    };
    const stop = (error: Error) => {
      if (stopped) return;
      stopped = true;
      alive--;
      for (const index of held) orphaned.add(index);
      if (held.size > 0 || handedOut < batches.length) options.onThreadFailure?.(error);
      held.clear();
      notify();
    };
    worker.on("message", (message: CheckedBatch) => {
      // An answer that comes after its thread was given up for stopped: its batch is being
      // checked here already.
      if (stopped || message.batch < yielded) return;
      held.delete(message.batch);
      done.set(
        message.batch,
        message.checked.map((c) =>
          c.record
            ? { ...c, record: fromPortable(c.record, options.reread) }
            : { ...c, record: undefined },
        ),
      );
      feed();
      notify();
    });
    worker.on("error", (error) => stop(error));
    // An answer that could not be read is dropped by Node: the thread is given up on.
    worker.on("messageerror", (error) => {
      stop(error);
      void worker.terminate();
    });
    worker.on("exit", (code) => stop(new Error(`a checking thread exited with code ${code}`)));
    workers.push({ worker, feed });
    feed();
  };

  try {
    // This thread is one of the threads: it checks records too, between gathering the others'.
    // No more workers than there are batches for them.
    for (let t = 1; t < Math.min(options.threads, batches.length + 1); t++) startWorker();
    for (let index = 0; index < batches.length; index++) {
      while (!done.has(index)) {
        if (orphaned.has(index) || alive === 0) {
          // Held by a worker that stopped, or no worker is left to take it.
          done.set(index, checkHere(index));
          orphaned.delete(index);
        } else if (
          options.takeShare !== false &&
          handedOut < batches.length &&
          handedOut < yielded + window
        ) {
          // Being checked elsewhere: meanwhile this thread takes the next batch, then lets the
          // workers' answers in (and feeds them) before it looks again.
          const next = handedOut++;
          done.set(next, checkHere(next));
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else await new Promise<void>((resolve) => (wake = resolve));
      }
      const checked = done.get(index)!;
      done.delete(index);
      yielded = index + 1;
      for (const w of workers) w.feed();
      yield* checked;
    }
  } finally {
    // Stopped by us, not a failure.
    for (const { worker } of workers) {
      worker.removeAllListeners("exit");
      worker.removeAllListeners("error");
      worker.on("error", () => undefined);
      await worker.terminate();
    }
  }
}
