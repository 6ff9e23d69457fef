import type { ChainHead } from "../../core/evidence/chain-head.js";

/** Where the last writer left an evidence branch: enough to write the next commit without reading it. */
export interface KnownTip {
  commit: string;
  tree: string;
  /** The chain head in that commit; undefined when it has no chained record yet. */
  head: ChainHead | undefined;
}

/** What a writer did while it held the lock, and the tip it left (none: it does not know one). */
export interface LockedWrite<T> {
  value: T;
  tip?: KnownTip;
}

/**
 * Keeps writers of one evidence branch apart across processes (App replicas), and passes the tip
 * from one to the next. A writer must still check the tip it is handed: the branch may have moved
 * without the lock (a person, a writer that died before recording), which its fast-forward-only
 * ref update detects.
 */
export interface WriterLock {
  hold<T>(key: string, write: (recorded: KnownTip | undefined) => Promise<LockedWrite<T>>): Promise<T>;
}
