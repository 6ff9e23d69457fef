import { randomUUID } from "node:crypto";
import { link, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { systemClock } from "../clock.js";
import { processRuns } from "../process-runs.js";

export interface FileLockOptions {
  /**
   * A lock that nobody refreshes while we watch it for this long belongs to a writer that died.
   * Default 30 000 ms.
   */
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
 * is taken over once it has stayed unchanged for `staleMs` while this writer watched it: the
 * lock's modification time is only compared with itself, never with this process's clock, so a
 * clock that disagrees with the file system's (another host on a shared disk, an injected clock)
 * cannot make a live lock look dead.
 */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const staleMs = options.staleMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 50;
  const now = options.now ?? (() => systemClock().getTime());
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const token = `${process.pid}@${hostname()} ${randomUUID()}`;
  const started = now();
  let watched: { stamp: string; since: number } | undefined;
  for (;;) {
    if (await createWithContent(path, `${token}\n`))
      return {
        refresh: async () => {
          // Watchers only look for a change, so the new time must differ from the last one.
          const last = (await stat(path).catch(() => undefined))?.mtimeMs ?? 0;
          const at = new Date(Math.max(now(), Math.floor(last) + 1));
          await utimes(path, at, at).catch(() => {});
        },
        release: async () => {
          // Only our own lock: after a takeover it may belong to another writer.
          const held = await readFile(path, "utf8").catch(() => "");
          if (held.trim() === token) await unlink(path).catch(() => {});
        },
      };
    const info = await stat(path).catch(() => undefined);
    const stamp = info ? `${info.ino}:${info.mtimeMs}` : "";
    if (watched?.stamp !== stamp) watched = { stamp, since: now() };
    const holderDied = info ? await heldByDeadProcess(path) : false;
    if (holderDied || (info && now() - watched.since > staleMs)) {
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

/**
 * The holder was a process on this machine that no longer runs (killed, crashed): its lock can
 * be taken at once instead of after `staleMs`. Locks from other machines are only judged stale.
 */
async function heldByDeadProcess(path: string): Promise<boolean> {
  const holder = (await readFile(path, "utf8").catch(() => "")).trim();
  const match = /^(\d+)@(\S+) /.exec(holder);
  return match !== null && match[2] === hostname() && !processRuns(Number(match[1]));
}

/**
 * Creates `path` holding `content`, or returns false when it exists. The content is written to a
 * file of our own first and linked into place (link fails when the name is taken), so that the
 * lock is never seen without its holder: a writer killed between creating an empty lock and
 * writing its name into it left a lock nobody could tell from a live one for `staleMs`.
 */
async function createWithContent(path: string, content: string): Promise<boolean> {
  const own = `${path}.${randomUUID()}.tmp`;
  await writeFile(own, content, { encoding: "utf8", flag: "wx" });
  try {
    await link(own, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  } finally {
    await unlink(own).catch(() => {});
  }
}
