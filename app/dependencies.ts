import type { EvidenceStore } from "../src/core/evidence/pending-record.js";
import type { AppConfig } from "./config.js";

/** What the handlers need from outside: settings, the store, a clock. Tests pass their own. */
export interface AppDependencies {
  config: AppConfig;
  store: EvidenceStore;
  /** The current time (records are dated by it; facts are collected and evaluated at it). */
  now: () => Date;
  /** Names the App in each record's source, e.g. "soc2-as-code App 0.1.0". */
  sourceName: string;
  /**
   * Waits before asking GitHub again which pull request a pushed commit belongs to: the
   * association lags a merge by a few seconds, and a commit found in no pull request becomes a
   * direct-push exception.
   */
  pullLookupDelaysMs: readonly number[];
  sleep: (ms: number) => Promise<void>;
}
