import { randomUUID } from "node:crypto";
import { open, readFile, rename, stat, unlink, utimes } from "node:fs/promises";
import { hostname } from "node:os";

export interface FileLockOptions {
  /** A lock not refreshed for this long belongs to a writer that died. Default 30 000 ms. */
  staleMs?: number;
  /** Give up waiting after this long. Default 60 000 ms. */
  timeoutMs?: number;
  /** How often to look again while another writer holds the lock. Default 50 ms. */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HeldLock {
  /** Marks the lock as still in use, so that a long run of retries is not taken for a dead writer. */
  refresh(): Promise<void>;
  release(): Promise<void>;
}

export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
}

/**
 * A lock file created with O_EXCL (the `wx` flag), so that two processes, or two stores in one
 * process, on the same repository never write at the same time. A lock left by a crashed writer
 * is taken over once it is older than `staleMs`.
 */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const staleMs = options.staleMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 50;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const token = `${process.pid}@${hostname()} ${randomUUID()}`;
  const started = now();
  for (;;) {
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(`${token}\n`, "utf8");
      } finally {
        await handle.close();
      }
      return {
        refresh: async () => {
          const at = new Date(now());
          await utimes(path, at, at).catch(() => {});
        },
        release: async () => {
          // Only our own lock: after a takeover it may belong to another writer.
          const held = await readFile(path, "utf8").catch(() => "");
          if (held.trim() === token) await unlink(path).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const info = await stat(path).catch(() => undefined);
    if (info && now() - info.mtimeMs > staleMs) {
      // Move it aside first: of two writers taking over the same stale lock, one wins the rename.
      const aside = `${path}.stale-${randomUUID()}`;
      if (await rename(path, aside).then(() => true, () => false)) await unlink(aside).catch(() => {});
      continue;
    }
    if (now() - started > timeoutMs) {
      const holder = (await readFile(path, "utf8").catch(() => "")).trim();
      throw new LockTimeoutError(
        `${path} has been held by another writer${holder ? ` (${holder})` : ""} for more than ${Math.round(timeoutMs / 1000)} s: if no writer is running, delete it`,
      );
    }
    await sleep(pollMs + Math.floor(Math.random() * pollMs));
  }
}
