import { getOctokit } from "@actions/github";
import { resolve } from "node:path";
import type { GitHubClient } from "../../adapters/github/client.js";
import { collectOrganizationSettings } from "../../adapters/github/settings/collect-organization.js";
import { collectRepositorySettings } from "../../adapters/github/settings/collect-repository.js";
import { partReader } from "../../adapters/github/settings/read-part.js";
import { openAccessReview } from "../../adapters/monitoring/open-access-review.js";
import { escapeControl } from "../../core/diagnostics.js";
import {
  accessReviewers,
  isPeriod,
  periodOf,
  readAccessReviewSettings,
  readDesiredState,
} from "../../core/monitoring/index.js";
import { clockOf, EXIT, parseFormat, UsageError, type Output } from "../output.js";
import { REPOSITORY } from "./repository-name.js";
import { loadAndValidate } from "./validate.js";

export interface AccessReviewOptions {
  quarter?: string;
  repo?: string;
  dryRun?: boolean;
  format: string;
}

/**
 * `soc2 access-review open [dir]`: reads who has access (organization owners and members, every
 * collaborator and team of the in-scope repositories) and opens the period's review as a pull
 * request in the compliance repository, asking the access control's owner to review it; an open
 * pull request for the period is updated, decisions already made kept.
 */
export async function accessReviewOpenCommand(
  dirArg: string | undefined,
  options: AccessReviewOptions,
  io: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const format = parseFormat(options.format, ["text", "json"] as const);
  if (options.quarter !== undefined && !isPeriod(options.quarter))
    throw new UsageError(
      `--quarter "${options.quarter}" is not a period: use YYYY-Qn (2026-Q4), or YYYY-MM for monthly reviews`,
    );
  const repository = options.repo ?? env.GITHUB_REPOSITORY;
  if (!repository || !REPOSITORY.test(repository))
    throw new UsageError(
      "name the compliance repository to open the pull request in: --repo owner/name (or GITHUB_REPOSITORY)",
    );
  const token = env.GITHUB_TOKEN?.trim();
  if (!token)
    throw new UsageError(
      "GITHUB_TOKEN is not set: give a token that may read the organization's members and the repositories' collaborators and teams, and open pull requests in the compliance repository",
    );
  const dir = resolve(dirArg ?? ".");
  const now = clockOf(io);
  const { repository: compliance } = await loadAndValidate(dir, now, { retain: "summary" });
  if (!compliance.program)
    throw new UsageError(
      `${dir} is not a compliance repository (no readable soc2.yml): run soc2 validate, or soc2 init`,
    );
  const raw = compliance.program.raw;
  const settings = readAccessReviewSettings(raw);
  if (!settings)
    throw new UsageError(
      "soc2.yml declares no monitoring.access_review: name the access control the reviews evidence (monitoring.access_review.control)",
    );
  const control = compliance.controls.find((c) => c.id === settings.control);
  if (!control)
    throw new UsageError(
      `monitoring.access_review.control names "${settings.control}", which no file in controls/ defines`,
    );
  const role = control.owner;
  const { reviewers, teamReviewers } = accessReviewers(raw, role, repository);
  const desired = readDesiredState(raw);
  if (!desired.organization)
    throw new UsageError(
      "soc2.yml names no organization to review (monitoring.organization or organization.github)",
    );
  const client = getOctokit(token, {
    baseUrl: env.GITHUB_API_URL?.trim() || "https://api.github.com",
  }) as unknown as GitHubClient;
  const read = partReader(client, { now: () => clockOf(io) });
  const org = await collectOrganizationSettings(read, desired.organization);
  const repositories = [];
  for (const name of desired.repositories)
    repositories.push({ name, settings: await collectRepositorySettings(read, name) });
  const result = await openAccessReview({
    client,
    repository,
    period: options.quarter ?? periodOf(now, settings.every),
    control: settings.control,
    reviewers,
    teamReviewers,
    generatedAt: clockOf(io).toISOString(),
    organization: desired.organization,
    org,
    repositories,
    ...(options.dryRun ? { dryRun: true } : {}),
  });
  if (format === "json")
    io.out(
      JSON.stringify(
        {
          action: result.action,
          dry_run: options.dryRun === true,
          number: result.number ?? null,
          branch: result.branch,
          path: result.path,
          reviewers,
          team_reviewers: teamReviewers,
          entries: result.review.entries.length,
          gaps: result.gaps,
          ...(result.reviewerProblem ? { reviewer_problem: result.reviewerProblem } : {}),
        },
        null,
        2,
      ) + "\n",
    );
  else {
    const verb = options.dryRun ? `would be ${result.action}` : result.action;
    io.out(
      `access review ${result.review.period} (${result.review.entries.length} entries, ${result.path}): pull request ${result.number ? `#${result.number} ` : ""}${verb} in ${repository}\n`,
    );
    if (reviewers.length === 0 && teamReviewers.length === 0)
      io.err(
        `soc2: warning: the owner of ${settings.control} (${role ?? "none"}) has no github logins in soc2.yml owners: nobody was asked to review\n`,
      );
    if (result.reviewerProblem)
      io.err(`soc2: warning: reviewers not requested: ${escapeControl(result.reviewerProblem)}\n`);
    for (const gap of result.gaps)
      io.err(`soc2: warning: not shown by GitHub: ${escapeControl(gap)}\n`);
  }
  return EXIT.ok;
}
