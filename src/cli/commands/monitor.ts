import { getOctokit } from "@actions/github";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { readAccessReviews } from "../../adapters/monitoring/read-access-reviews.js";
import type { GitHubClient } from "../../adapters/github/client.js";
import { runMonitor } from "../../adapters/monitoring/run-monitor.js";
import { syncDriftIssues } from "../../adapters/monitoring/sync-drift-issues.js";
import type { PendingRecord } from "../../core/evidence/pending-record.js";
import { readDesiredState, targetOf, worst } from "../../core/monitoring/index.js";
import { renderDriftText } from "../../core/render/drift.js";
import { REPOSITORY } from "./repository-name.js";
import { clockOf, EXIT, parseFormat, UsageError, type Output } from "../output.js";
import { VERSION } from "../version.js";
import { readProgram } from "./evaluate.js";
import { openTargetStore } from "../../adapters/evidence/open-target.js";
import { evidenceTargetOf } from "./monitor-store.js";

export interface MonitorOptions {
  config: string;
  org?: string;
  repo?: string[];
  dryRun?: boolean;
  issues?: string;
  format: string;
}

const ISSUE_VERB = {
  open: ["opened", "would open"],
  update: ["updated", "would update"],
  close: ["closed", "would close"],
} as const;

/**
 * `soc2 monitor`: snapshots the organization's and each in-scope repository's GitHub settings,
 * stores each as a settings-snapshot record where the App stores evidence, and reports drift
 * from soc2.yml's desired state. Exit 0 no drift, 1 drift, 2 usage error.
 */
export async function monitorCommand(
  options: MonitorOptions,
  io: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  if (options.issues !== undefined && !REPOSITORY.test(options.issues))
    throw new UsageError(`--issues "${options.issues}" is not owner/name, e.g. acme/compliance`);
  for (const repo of options.repo ?? [])
    if (!REPOSITORY.test(repo))
      throw new UsageError(`--repo "${repo}" is not owner/name, e.g. acme/web`);
  if (env === process.env && existsSync(".env")) process.loadEnvFile(".env");
  const token = env.GITHUB_TOKEN?.trim();
  if (!token)
    throw new UsageError(
      "GITHUB_TOKEN is not set: give a token (or the App's installation token) that may read the settings listed in docs/monitoring.md",
    );
  const program = await readProgram(options.config, io, "the desired state cannot be read");
  const declared = readDesiredState(program);
  const desired = {
    ...declared,
    ...(options.org ? { organization: options.org } : {}),
    ...(options.repo && options.repo.length > 0 ? { repositories: options.repo } : {}),
  };
  if (desired.declarations.length === 0)
    throw new UsageError(
      `${options.config} declares no monitoring.desired_state: declare what must hold, each tied to a control (see docs/monitoring.md)`,
    );
  if (!desired.organization && desired.repositories.length === 0)
    throw new UsageError(
      "nothing to snapshot: name the organization (--org, or organization.github in soc2.yml) or repositories (--repo, or system.boundaries.repositories)",
    );
  const client = getOctokit(token, {
    baseUrl: env.GITHUB_API_URL?.trim() || "https://api.github.com",
  }) as unknown as GitHubClient;
  const clock = () => clockOf(io);
  const store = options.dryRun
    ? undefined
    : await openTargetStore(evidenceTargetOf(env), async () => client, { now: clock });
  const run = await runMonitor({
    client,
    desired,
    clock,
    source: sourceOf(env),
    // Access reviews merged next to soc2.yml: their removals are checked on the new snapshots.
    reviews: await readAccessReviews(dirname(options.config)),
    ...(store ? { store } : {}),
  });
  const issues = options.issues
    ? await syncDriftIssues({
        client,
        repository: options.issues,
        drift: run.drift,
        clock,
        source: sourceOf(env),
        ...(store ? { store } : {}),
      })
    : [];
  if (format === "json")
    io.out(
      JSON.stringify(
        {
          snapshots: run.snapshots.map((s) => ({
            target: targetOf(s.snapshot.scope),
            record: s.record.id,
            same_as: s.record.content.same_as,
            stored: s.stored?.status ?? "dry-run",
          })),
          drift: run.drift,
          issues: issues.map(({ action, number, stored }) => ({
            action: action.action,
            control: action.control,
            ...(number ? { number } : {}),
            stored: stored?.status ?? "dry-run",
          })),
        },
        null,
        2,
      ) + "\n",
    );
  else {
    for (const { record, stored } of run.snapshots) {
      const sameAs = record.content.same_as;
      io.out(
        `${stored ? (stored.status === "written" ? "recorded" : "already recorded") : "would record"} ${record.id}` +
          (typeof sameAs === "string" ? ` (unchanged: same settings as ${sameAs})` : "") +
          "\n",
      );
    }
    io.out(renderDriftText(run.drift));
    for (const { action, number } of issues)
      io.out(
        `${ISSUE_VERB[action.action][store ? 0 : 1]} the drift issue${number ? ` #${number}` : ""} of ${action.control} in ${options.issues}` +
          (action.action === "close" && action.reason === "duplicate" ? " (a duplicate)" : "") +
          "\n",
      );
  }
  return worst(run.drift.map((d) => d.result)) === "fail" ? EXIT.findings : EXIT.ok;
}

/** Who writes the records: the Action's workflow run when run in GitHub Actions, else the CLI. */
function sourceOf(env: NodeJS.ProcessEnv): PendingRecord["source"] {
  const name = `soc2 monitor ${VERSION}`;
  if (env.GITHUB_ACTIONS === "true" && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID)
    return {
      type: "github-action",
      name,
      event: env.GITHUB_EVENT_NAME || "schedule",
      run_url: `${env.GITHUB_SERVER_URL || "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`,
    };
  return { type: "cli", name };
}
