import { parseInstant } from "../../src/core/reconcile/window.js";

/** How the App reconciles on its own (app/reconcile/scheduler.ts). */
export interface ReconcileConfig {
  /** RECONCILE_INTERVAL_MS: how often, after the run at start-up; 0: never. */
  intervalMs: number;
  /** RECONCILE_SINCE: where a repository never reconciled starts (ISO); default a week before start. */
  since?: string;
}

const MAX_INTERVAL_MS = 7 * 86_400_000;

/** Reads the reconciliation settings; each bad one adds a problem (the App refuses to start). */
export function readReconcileConfig(
  get: (name: string) => string,
  problems: string[],
): ReconcileConfig {
  const text = get("RECONCILE_INTERVAL_MS");
  let intervalMs = 0;
  if (text !== "") {
    const value = Number(text);
    // Less than a minute would spend the rate limit on asking GitHub what webhooks already said.
    if (!Number.isInteger(value) || (value !== 0 && (value < 60_000 || value > MAX_INTERVAL_MS)))
      problems.push(
        `RECONCILE_INTERVAL_MS "${text}" is not 0 (off) or a whole number of milliseconds from 60000 to ${MAX_INTERVAL_MS}, e.g. 3600000 for hourly`,
      );
    else intervalMs = value;
  }
  const sinceText = get("RECONCILE_SINCE");
  if (sinceText === "") return { intervalMs };
  const since = parseInstant("RECONCILE_SINCE", sinceText);
  if (typeof since !== "string") {
    problems.push(since.problem);
    return { intervalMs };
  }
  return { intervalMs, since };
}
