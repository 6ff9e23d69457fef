import { getOctokit } from "@actions/github";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { GitHubApiError, type GitHubClient } from "../../adapters/github/client.js";
import { syncRequestIssues } from "../../adapters/requests/sync-request-issues.js";
import { escapeControl } from "../../core/diagnostics.js";
import { REPOSITORY } from "./repository-name.js";
import { clockOf, EXIT, UsageError, type Output } from "../output.js";
import { loadAndValidate } from "./validate.js";

export interface RequestIssuesOptions {
  repo: string;
  period?: string;
  dryRun?: boolean;
}

const VERB = {
  open: ["opened", "would open"],
  update: ["updated", "would update"],
  close: ["closed", "would close"],
} as const;

/**
 * `soc2 requests issues [dir] --repo owner/name`: one GitHub issue per open request, updated when
 * the list changes it, closed once it is answered in the repository. Safe to run on a schedule.
 */
export async function requestIssuesCommand(
  dirArg: string | undefined,
  options: RequestIssuesOptions,
  io: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (!REPOSITORY.test(options.repo ?? ""))
    throw new UsageError(`--repo "${options.repo}" is not owner/name, e.g. acme/compliance`);
  if (env === process.env && existsSync(".env")) process.loadEnvFile(".env");
  const token = env.GITHUB_TOKEN?.trim();
  if (!token)
    throw new UsageError(
      "GITHUB_TOKEN is not set: give a token that may read and write the repository's issues (issues: write)",
    );
  const dir = resolve(dirArg ?? ".");
  const { repository } = await loadAndValidate(dir, clockOf(io), { retain: "summary" });
  const requests = (repository.requests ?? []).filter(
    (r) => options.period === undefined || r.period === options.period,
  );
  const client = getOctokit(token, {
    baseUrl: env.GITHUB_API_URL?.trim() || "https://api.github.com",
  }) as unknown as GitHubClient;
  let synced;
  try {
    synced = await syncRequestIssues({
      client,
      repository: options.repo,
      requests,
      ...(options.dryRun ? { dryRun: true } : {}),
    });
  } catch (error) {
    if (error instanceof GitHubApiError) {
      io.err(
        `soc2: ${escapeControl(error.message)}; issues changed before it stay as they are: run it again\n`,
      );
      return EXIT.usage;
    }
    throw error;
  }
  const open = requests.filter((r) => r.status === "open").length;
  for (const { action, number } of synced)
    io.out(
      `${VERB[action.action][options.dryRun ? 1 : 0]} the issue${number ? ` #${number}` : ""} of request ${escapeControl(action.key)}${action.action === "close" ? ` (${action.reason.replace("_", " ")})` : ""}\n`,
    );
  io.out(
    `${options.dryRun ? "Dry run: " : "✓ "}${open} open request(s), ${synced.length} issue change(s) in ${options.repo}\n`,
  );
  return EXIT.ok;
}
