import type { Logger, Probot } from "probot";
import type { GitHubClient } from "../../src/adapters/github/client.js";
import { runMonitor, type MonitorRun } from "../../src/adapters/monitoring/run-monitor.js";
import { syncDriftIssues } from "../../src/adapters/monitoring/sync-drift-issues.js";
import type { PendingRecord } from "../../src/core/evidence/pending-record.js";
import {
  evaluateDrift,
  readDesiredState,
  type DesiredState,
} from "../../src/core/monitoring/index.js";
import type { AppDependencies } from "../dependencies.js";
import { installationClient } from "../evidence-store.js";
import { firstLine } from "../handlers/record.js";
import { openDueAccessReview } from "./access-review-round.js";
import { readComplianceProgram } from "./compliance-program.js";

/** What one monitoring run did, for its log line and for tests. */
export interface MonitorSummary {
  /** Snapshot records written (or found already written). */
  snapshots: number;
  /** Of them, unchanged since the previous one (stored as a reference). */
  unchanged: number;
  /** Targets that could not be snapshot (no installation covers them, or GitHub failed). */
  missed: string[];
  /** Each control's verdict. */
  controls: Record<string, string>;
  /** Drift issues opened, updated and closed: "open CHG-02 #7". */
  issues: string[];
  /** The current period's access review, when this run opened or found its pull request: "opened 2026-Q4 #3". */
  accessReview?: string;
}

/**
 * One monitoring run of the App: reads monitoring.desired_state from the compliance repository's
 * soc2.yml, snapshots each target with the token of the installation on its account (the same
 * runMonitor as `soc2 monitor`), stores the records through the App's evidence store, evaluates
 * drift over all of them at once, and opens or closes drift issues. Undefined when soc2.yml
 * declares nothing to monitor (the caller says so).
 */
export async function monitorOnce(
  probot: Probot,
  deps: AppDependencies,
  log: Logger,
): Promise<MonitorSummary | undefined> {
  const compliance = await readComplianceProgram(probot, deps.config);
  const desired = readDesiredState(compliance.program);
  if (desired.declarations.length === 0) return undefined;
  const source: PendingRecord["source"] = {
    type: "github-app",
    name: deps.sourceName,
    event: "schedule",
  };
  const app = (await probot.auth()) as unknown as GitHubClient;
  const installations = (await app.paginate("GET /app/installations", {
    per_page: 100,
  })) as Array<{ id: number; account?: { login?: string } | null }>;
  const snapshots: MonitorRun["snapshots"] = [];
  const uncovered = new Set(targetsOf(desired).map((t) => t.name));
  const failed: string[] = [];
  for (const installation of installations) {
    const login = installation.account?.login?.toLowerCase();
    const mine = targetsOf(desired).filter((t) => t.owner === login);
    if (mine.length === 0) continue;
    for (const t of mine) uncovered.delete(t.name);
    // This installation's share of the targets; every declaration, so records name their controls.
    const part: DesiredState = {
      declarations: desired.declarations,
      ...(mine.some((t) => t.type === "organization") && desired.organization
        ? { organization: desired.organization }
        : {}),
      repositories: mine.filter((t) => t.type === "repository").map((t) => t.name),
    };
    try {
      const client = (await probot.auth(installation.id)) as unknown as GitHubClient;
      // Its drift covers this installation's share only: drift is evaluated below, over all of them.
      const run = await runMonitor({
        client,
        desired: part,
        store: deps.store,
        clock: deps.now,
        source,
      });
      snapshots.push(...run.snapshots);
    } catch (error) {
      failed.push(...mine.map((t) => t.name));
      log.warn(
        {
          installation: installation.id,
          targets: mine.map((t) => t.name),
          error: firstLine(error),
        },
        "soc2: snapshotting an installation's settings failed: the drift of its targets is unknown until the next run",
      );
    }
  }
  if (uncovered.size > 0)
    log.warn(
      { missed: [...uncovered] },
      `soc2: no snapshot of ${[...uncovered].join(", ")}: install the App on ${uncovered.size > 1 ? "these accounts" : "its account"} with the permissions docs/app.md lists`,
    );
  const drift = evaluateDrift(
    desired,
    snapshots.map((s) => s.snapshot),
    // Merged access reviews: an access marked remove that these snapshots still show is drift.
    compliance.reviews,
  );
  const issuesRepository =
    deps.config.monitor.issuesRepository === "none"
      ? undefined
      : (deps.config.monitor.issuesRepository ?? compliance.repository);
  let synced: Awaited<ReturnType<typeof syncDriftIssues>> = [];
  if (issuesRepository)
    try {
      synced = await syncDriftIssues({
        client: await installationClient(probot, issuesRepository),
        repository: issuesRepository,
        drift,
        store: deps.store,
        clock: deps.now,
        source,
      });
    } catch (error) {
      // The snapshots are recorded: the run counts, and the next one brings the issues in line.
      log.error(
        { repository: issuesRepository, error: firstLine(error) },
        `soc2: the drift issues in ${issuesRepository} could not be brought in line with the snapshots: the next run tries again (the App needs Issues: write there)`,
      );
    }
  let accessReview: string | undefined;
  try {
    accessReview = await openDueAccessReview({
      probot,
      deps,
      compliance,
      desired,
      snapshots: snapshots.map((s) => s.snapshot),
      log,
    });
  } catch (error) {
    // The snapshots are recorded: the run counts, and the next one tries the review again.
    log.error(
      { repository: compliance.repository, error: firstLine(error) },
      `soc2: the access review could not be opened in ${compliance.repository ?? "the compliance repository"}: the next run tries again (the App needs Contents: write and Pull requests: write there)`,
    );
  }
  return {
    snapshots: snapshots.length,
    unchanged: snapshots.filter((s) => typeof s.record.content.same_as === "string").length,
    missed: [...uncovered, ...failed],
    controls: Object.fromEntries(drift.map((d) => [d.control, d.result])),
    issues: synced.map(
      ({ action, number }) => `${action.action} ${action.control}${number ? ` #${number}` : ""}`,
    ),
    ...(accessReview ? { accessReview } : {}),
  };
}

interface Target {
  type: "organization" | "repository";
  name: string;
  /** The account an installation must be on, lowercased. */
  owner: string;
}

function targetsOf(desired: DesiredState): Target[] {
  return [
    ...(desired.organization
      ? [
          {
            type: "organization" as const,
            name: desired.organization,
            owner: desired.organization.toLowerCase(),
          },
        ]
      : []),
    ...desired.repositories.map((name) => ({
      type: "repository" as const,
      name,
      owner: (name.split("/")[0] ?? "").toLowerCase(),
    })),
  ];
}
