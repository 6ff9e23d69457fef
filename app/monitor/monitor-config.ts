/** How the App monitors GitHub's settings on its own (app/monitor/scheduler.ts). */
export interface MonitorConfig {
  /** MONITOR_INTERVAL_MS: one monitoring run per slot of this length; 0 (the default): never. */
  intervalMs: number;
  /**
   * MONITOR_ISSUES_REPOSITORY: where drift issues are opened and closed (owner/name). Default:
   * the compliance repository when the App reads soc2.yml from GitHub; "none": no issues.
   */
  issuesRepository?: string | "none";
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const MIN_INTERVAL_MS = 3_600_000;
const MAX_INTERVAL_MS = 31 * 86_400_000;

/** Reads the monitoring settings; each bad one adds a problem (the App refuses to start). */
export function readMonitorConfig(
  get: (name: string) => string,
  problems: string[],
): MonitorConfig {
  const text = get("MONITOR_INTERVAL_MS");
  let intervalMs = 0;
  if (text !== "") {
    const value = Number(text);
    // Settings change rarely and each run stores a record per target: hourly at most.
    if (
      !Number.isInteger(value) ||
      (value !== 0 && (value < MIN_INTERVAL_MS || value > MAX_INTERVAL_MS))
    )
      problems.push(
        `MONITOR_INTERVAL_MS "${text}" is not 0 (off) or a whole number of milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}, e.g. 604800000 for weekly`,
      );
    else intervalMs = value;
  }
  const issues = get("MONITOR_ISSUES_REPOSITORY");
  if (issues !== "" && issues !== "none" && !REPOSITORY.test(issues))
    problems.push(
      `MONITOR_ISSUES_REPOSITORY "${issues}" is not owner/name (e.g. acme/compliance) or none`,
    );
  return { intervalMs, ...(issues ? { issuesRepository: issues } : {}) };
}
