import type { Logger, Probot } from "probot";
import { parse } from "yaml";
import type { GitHubClient } from "../../src/adapters/github/client.js";
import { listFolderAt } from "../../src/adapters/github/read-folder.js";
import { readFileAt } from "../../src/adapters/github/read-file.js";
import { openAccessReview } from "../../src/adapters/monitoring/open-access-review.js";
import { asObject, asString } from "../../src/core/json-read.js";
import {
  accessReviewers,
  periodOf,
  readAccessReviewSettings,
  type DesiredState,
  type MonitoringSnapshot,
  type OrganizationSettings,
  type RepositorySettings,
} from "../../src/core/monitoring/index.js";
import type { AppDependencies } from "../dependencies.js";
import { installationClient } from "../evidence-store.js";
import type { ComplianceProgram } from "./compliance-program.js";

/**
 * The access review of the current period, opened by a monitoring run of the App when soc2.yml
 * declares monitoring.access_review and the compliance repository has neither the period's review
 * merged nor its pull request open: the same file, branch, pull request and reviewers as
 * `soc2 access-review open`, built from the snapshots this run took. An open pull request is found
 * again (by its branch), so later runs and other replicas update it at most, never open another.
 * Answers what was done ("opened 2026-Q4 #3"), or undefined when nothing was due or possible.
 */
export async function openDueAccessReview(input: {
  probot: Probot;
  deps: AppDependencies;
  compliance: ComplianceProgram;
  desired: DesiredState;
  snapshots: readonly MonitoringSnapshot[];
  log: Logger;
}): Promise<string | undefined> {
  const { compliance, desired, log } = input;
  const settings = readAccessReviewSettings(compliance.program);
  if (!settings) return undefined;
  const now = input.deps.now();
  const period = periodOf(now, settings.every);
  // Merged: the period is reviewed; its removals are checked as drift.
  if (compliance.reviews.some((r) => r.period === period)) return undefined;
  const repository = compliance.repository;
  if (!repository || compliance.ref === undefined || compliance.path?.includes("/")) {
    log.warn(
      { period },
      `soc2: the ${period} access review is not opened: the App opens it in the compliance repository whose soc2.yml (at its root) it reads through GitHub: set POLICY_REPOSITORY`,
    );
    return undefined;
  }
  const organization = desired.organization;
  const org = input.snapshots.find(
    (s) => s.scope.type === "organization" && s.scope.name === organization,
  );
  const repositories = desired.repositories.map((name) => ({
    name,
    snapshot: input.snapshots.find((s) => s.scope.type === "repository" && s.scope.name === name),
  }));
  const missing = [
    ...(organization && org ? [] : [organization ?? "the organization (monitoring.organization)"]),
    ...repositories.filter((r) => !r.snapshot).map((r) => r.name),
  ];
  if (!organization || !org || missing.length > 0) {
    log.warn(
      { period, missing },
      `soc2: the ${period} access review is not opened yet: this run has no snapshot of ${missing.join(", ")} to list its access from; the next run tries again`,
    );
    return undefined;
  }
  const client = await installationClient(input.probot, repository);
  const role = await controlOwnerAt(client, repository, compliance.ref, settings.control);
  const { reviewers, teamReviewers } = accessReviewers(compliance.program, role, repository);
  const result = await openAccessReview({
    client,
    repository,
    period,
    control: settings.control,
    reviewers,
    teamReviewers,
    generatedAt: now.toISOString(),
    organization,
    org: org.settings as OrganizationSettings,
    repositories: repositories.map((r) => ({
      name: r.name,
      settings: r.snapshot!.settings as RepositorySettings,
    })),
  });
  const done = `${result.action} ${period} #${result.number ?? 0}`;
  if (result.action !== "unchanged")
    log.info(
      {
        period,
        number: result.number,
        repository,
        reviewers,
        ...(result.reviewerProblem ? { reviewerProblem: result.reviewerProblem } : {}),
      },
      `soc2: access review ${period}: pull request #${result.number ?? 0} ${result.action} in ${repository}`,
    );
  if (reviewers.length === 0 && teamReviewers.length === 0)
    log.warn(
      { period, control: settings.control, role: role ?? null },
      `soc2: the owner of ${settings.control} (${role ?? "none"}) has no github logins in soc2.yml owners: nobody is asked to review the ${period} access review`,
    );
  return done;
}

/** The owner role of a control, read from controls/ (any depth up to 4) in the repository at ref. */
async function controlOwnerAt(
  client: GitHubClient,
  repository: string,
  ref: string,
  id: string,
): Promise<string | undefined> {
  const folders = [{ path: "controls", depth: 0 }];
  for (let folder = folders.shift(); folder; folder = folders.shift()) {
    const listing = (await listFolderAt(client, repository, folder.path, ref)) ?? [];
    for (const entry of [...listing].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      if (entry.type === "dir" && folder.depth < 3)
        folders.push({ path: entry.path, depth: folder.depth + 1 });
      if (entry.type !== "file" || !/\.ya?ml$/i.test(entry.name)) continue;
      const text = await readFileAt(client, repository, entry.path, ref);
      let control: Record<string, unknown>;
      try {
        control = asObject(parse(text ?? ""));
      } catch {
        continue; // soc2 validate reports it
      }
      if (control.id === id) return asString(control.owner);
    }
  }
  return undefined;
}
