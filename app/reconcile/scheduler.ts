import type { Logger, Probot } from "probot";
import type { GitHubClient } from "../../src/adapters/github/client.js";
import type { GraphQLClient } from "../../src/adapters/github/graphql-client.js";
import type { AppDependencies } from "../dependencies.js";
import { installationClient } from "../evidence-store.js";
import { firstLine } from "../handlers/record.js";
import { Periodic } from "../periodic.js";
import type { Checkpoints } from "./checkpoints.js";
import { recordLookupFor } from "./evidence-access.js";
import { reconcileRepository, type ReconciledChange } from "./reconcile-repository.js";

// Webhooks of the last minute may still be on their way: reconcile up to a minute ago, so a
// change is recorded by its webhook (with the real delivery id) whenever the webhook comes.
const SETTLE_MS = 60_000;
// A repository never reconciled, without RECONCILE_SINCE: the week before the App started.
const FIRST_LOOKBACK_MS = 7 * 86_400_000;

/** What one round did, for its log line and for tests. */
export interface RoundSummary {
  repositories: number;
  failed: number;
  recorded: number;
}

/**
 * The App's reconciler: at start-up and every RECONCILE_INTERVAL_MS, over every repository of
 * every installation (GET /app/installations, then GET /installation/repositories with each
 * installation's token), reconciles from the repository's checkpoint up to a minute ago and moves
 * the checkpoint only when that repository's run succeeded. One replica at a time (the checkpoints'
 * lock); a failure is logged and the same window is tried again next round.
 */
export class ReconcileScheduler {
  private readonly periodic: Periodic<RoundSummary | undefined>;
  private stopped = false;

  constructor(
    private readonly options: {
      probot: Probot;
      deps: AppDependencies;
      checkpoints: Checkpoints;
      log: Logger;
      startedAt: Date;
    },
  ) {
    this.periodic = new Periodic(
      () =>
        this.round().catch((error: unknown) => {
          this.options.log.error(
            { error: firstLine(error) },
            "soc2: reconciliation failed: it is tried again at the next interval",
          );
          return undefined;
        }),
      options.deps.config.reconcile.intervalMs,
    );
  }

  /** Runs a round now, then one every interval. */
  start(): void {
    this.periodic.start();
  }

  /** One round (or the one already running). Undefined when another replica holds the turn. */
  runNow(): Promise<RoundSummary | undefined> {
    return this.periodic.runNow();
  }

  /** Stops the timer and waits for the round in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.periodic.stop();
    await this.options.checkpoints.close();
  }

  private round(): Promise<RoundSummary | undefined> {
    return this.options.checkpoints.exclusively(async () => {
      const { probot, deps, log } = this.options;
      const now = deps.now();
      const until = new Date(now.getTime() - SETTLE_MS).toISOString();
      const warn = (reason: string) =>
        log.warn(
          { reason },
          "soc2: GitHub's GraphQL API cannot run the query: reconciling with REST (set GITHUB_API=rest to skip it)",
        );
      const evidence = deps.config.evidence;
      const lookup = await recordLookupFor(
        evidence,
        evidence.type === "github"
          ? await installationClient(probot, evidence.repository)
          : undefined,
      );
      const summary: RoundSummary = { repositories: 0, failed: 0, recorded: 0 };
      try {
        const app = (await probot.auth()) as unknown as GitHubClient;
        const installations = await app.paginate("GET /app/installations", { per_page: 100 });
        for (const installation of installations as { id: number }[]) {
          if (this.stopped) break;
          const client = (await probot.auth(installation.id)) as unknown as GitHubClient &
            GraphQLClient;
          const graphql = deps.config.githubApi === "graphql" ? client : undefined;
          const repositories = await client.paginate("GET /installation/repositories", {
            per_page: 100,
          });
          for (const { full_name: repository } of repositories as { full_name: string }[]) {
            if (this.stopped) break;
            const since = (await this.options.checkpoints.get(repository)) ?? this.firstSince();
            if (Date.parse(since) >= Date.parse(until)) continue;
            summary.repositories++;
            try {
              const changes = await reconcileRepository(
                {
                  ...deps,
                  client,
                  lookup,
                  graphql,
                  onGraphQLFallback: warn,
                  now,
                  dryRun: false,
                },
                repository,
                { since, until },
              );
              await this.options.checkpoints.set(repository, until);
              const count = (s: ReconciledChange["status"]) =>
                changes.filter((c) => c.status === s).length;
              summary.recorded += count("recorded");
              log.info(
                {
                  repository,
                  since,
                  until,
                  recorded: changes.filter((c) => c.status === "recorded").map((c) => c.id),
                  exists: count("exists"),
                  skipped: count("not-a-change"),
                },
                `soc2: reconciled ${repository}: ${count("recorded")} change(s) recorded that no webhook had`,
              );
            } catch (error) {
              summary.failed++;
              log.warn(
                { repository, since, until, error: firstLine(error) },
                "soc2: reconciling a repository failed: its window is tried again next round",
              );
            }
          }
        }
      } finally {
        await lookup.close();
      }
      return summary;
    });
  }

  private firstSince(): string {
    return (
      this.options.deps.config.reconcile.since ??
      new Date(this.options.startedAt.getTime() - FIRST_LOOKBACK_MS).toISOString()
    );
  }
}
