import { existsSync } from "node:fs";
import { ConfigError, readConfig, type AppConfig } from "../../../app/config.js";
import { openTargetStore } from "../../adapters/evidence/open-target.js";
import { recordLookupFor } from "../../../app/reconcile/evidence-access.js";
import {
  reconcileRepository,
  type ReconciledChange,
} from "../../../app/reconcile/reconcile-repository.js";
import { firstLine } from "../../../app/handlers/record.js";
import type { GitHubClient } from "../../adapters/github/client.js";
import type { GraphQLClient } from "../../adapters/github/graphql-client.js";
import { retryingClient } from "../../adapters/github/retrying-client.js";
import { escapeControl } from "../../core/diagnostics.js";
import { parseInstant, type ReconcileWindow } from "../../core/reconcile/window.js";
import { REPOSITORY } from "./repository-name.js";
import { clockOf, EXIT, parseFormat, sleepOf, UsageError, type Output } from "../output.js";
import { VERSION } from "../version.js";

export interface ReconcileOptions {
  repo: string;
  since: string;
  until?: string;
  dryRun?: boolean;
  format: string;
  json?: boolean;
}

const DEFAULT_API = "https://api.github.com";

/**
 * `soc2 reconcile`: asks GitHub (GITHUB_TOKEN, GITHUB_API_URL) what changed on a repository's
 * branches in a window, and records what the evidence the App's settings name lacks, as the App
 * would have from its webhooks, marked recovered by reconciliation. With --dry-run it writes
 * nothing and exits 1 when a change has no record: the completeness check, online.
 */
export async function reconcileCommand(options: ReconcileOptions, io: Output): Promise<number> {
  const format = options.json ? "json" : parseFormat(options.format, ["text", "json"] as const);
  if (!REPOSITORY.test(options.repo))
    throw new UsageError(`--repo "${options.repo}" is not a repository: write it as owner/name`);
  const now = clockOf(io);
  const window = windowOf(options, now);
  if (existsSync(".env")) process.loadEnvFile(".env");
  const token = process.env.GITHUB_TOKEN?.trim() ?? "";
  if (token === "")
    throw new UsageError(
      "GITHUB_TOKEN is not set: give a token that can read the repository's pull requests, contents and activity (and write the evidence repository when EVIDENCE_REPO is set)",
    );
  const config = appConfig();
  const baseUrl = (process.env.GITHUB_API_URL?.trim() || DEFAULT_API).replace(/\/+$/, "");
  // Loaded here: it reads the environment when imported, and other commands do not need it.
  const { getOctokit } = await import("@actions/github");
  const client = retryingClient(
    getOctokit(token, { baseUrl }) as unknown as GitHubClient & GraphQLClient,
    { maxAttempts: 4, baseDelayMs: 500, sleep: sleepOf(io) },
  );
  const graphql =
    config.githubApi === "graphql" && client.graphql ? (client as GraphQLClient) : undefined;
  const lookup = await recordLookupFor(config.evidence, client).catch((error: unknown) => {
    throw new UsageError(`could not read the evidence repository: ${firstLine(error)}`);
  });
  const store = await openTargetStore(config.evidence, () => Promise.resolve(client), {
    now: () => clockOf(io),
  });
  const warn = (reason: string) =>
    io.err(`soc2 reconcile: ${reason} (set GITHUB_API=rest to skip GraphQL)\n`);
  let changes: ReconciledChange[];
  try {
    changes = await reconcileRepository(
      {
        client,
        config,
        store,
        lookup,
        graphql,
        onGraphQLFallback: warn,
        now,
        sourceName: `soc2-as-code CLI ${VERSION} (reconcile)`,
        pullLookupDelaysMs: [1000, 3000],
        sleep: sleepOf(io),
        dryRun: options.dryRun === true,
      },
      options.repo,
      window,
    );
  } catch (error) {
    throw new UsageError(
      `reconciling ${options.repo} stopped: ${firstLine(error)}. Records written before it are complete and chained; run the command again to continue`,
    );
  } finally {
    await lookup.close();
  }
  const missing = changes.filter((c) => c.status === "missing").length;
  if (format === "json")
    io.out(
      JSON.stringify(
        { repository: options.repo, window, dryRun: options.dryRun === true, changes },
        null,
        2,
      ) + "\n",
    );
  else io.out(summary(options.repo, window, changes, options.dryRun === true));
  return missing > 0 ? EXIT.findings : EXIT.ok;
}

function windowOf(options: ReconcileOptions, now: Date): ReconcileWindow {
  const since = parseInstant("--since", options.since);
  if (typeof since !== "string") throw new UsageError(since.problem);
  const until =
    options.until === undefined ? now.toISOString() : parseInstant("--until", options.until);
  if (typeof until !== "string") throw new UsageError(until.problem);
  if (Date.parse(since) >= Date.parse(until))
    throw new UsageError(
      `--since ${options.since} is not before --until ${options.until ?? "(now)"}: nothing to reconcile`,
    );
  return { since, until };
}

/** The App's settings (the environment and ./.env), as `npm start` reads them. */
function appConfig(): AppConfig {
  try {
    return readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new UsageError(`the App's settings are wrong: ${error.problems.join("; ")}`);
    throw error;
  }
}

const LABEL: Record<ReconciledChange["status"], string> = {
  recorded: "recorded",
  exists: "exists",
  missing: "MISSING",
  "not-a-change": "skipped",
};

function summary(
  repository: string,
  window: ReconcileWindow,
  changes: readonly ReconciledChange[],
  dryRun: boolean,
): string {
  const count = (s: ReconciledChange["status"]) => changes.filter((c) => c.status === s).length;
  const lines = changes.map(
    (c) =>
      `${LABEL[c.status].padEnd(8)} ${c.change} ${escapeControl(c.ref)} ${c.at}` +
      (c.by ? ` by ${escapeControl(c.by)}` : "") +
      (c.status === "not-a-change"
        ? `: ${escapeControl(c.reason ?? "")}`
        : `  ${escapeControl(c.id)}`),
  );
  const head =
    `${repository}, ${window.since} to ${window.until}: ${changes.length} change(s) on GitHub, ` +
    (dryRun
      ? `${count("missing")} without a record (dry run: nothing written)`
      : `${count("recorded")} recorded now`) +
    `, ${count("exists")} already recorded, ${count("not-a-change")} not a change to record`;
  return [head, ...lines].join("\n") + "\n";
}
