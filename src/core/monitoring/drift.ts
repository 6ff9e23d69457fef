import { accessReviewChecks, type AccessReview } from "./access-review.js";
import { effectiveProtection } from "./branch-protection.js";
import { logins, onPart, unavailable, verdict, type Check } from "./check.js";
import { bypassChecks, organizationItemChecks, repositoryItemChecks } from "./item-checks.js";
import type {
  BranchProtectionRequirement,
  Declaration,
  DesiredState,
  OrganizationRequirement,
  RepositoryRequirement,
} from "./desired-state.js";
import {
  isNotAvailable,
  targetOf,
  type MonitoringSnapshot,
  type OrganizationSettings,
  type RepositorySettings,
} from "./snapshot.js";

/** pass: it holds; fail: it does not (drift); unknown: the snapshot could not show it. */
export type CheckResult = "pass" | "fail" | "unknown";

/** One requirement checked on one target. */
export interface DriftCheck {
  control: string;
  /** Its declaration's place in monitoring.desired_state; -1: an access review's decision. */
  declaration: number;
  /** e.g. "repository acme/web branch main", "organization acme". */
  target: string;
  /** e.g. "required_approving_reviews". */
  requirement: string;
  result: CheckResult;
  /** Plain words: what was expected and what the snapshot shows. */
  reason: string;
  /** The evidence record the snapshot was read from. */
  record?: string;
}

export interface ControlDrift {
  control: string;
  /** fail if any check fails; else unknown if any is unknown; else pass. */
  result: CheckResult;
  checks: DriftCheck[];
}

/**
 * Evaluates snapshots against the desired state: per control, pass or fail with plain reasons.
 * Pure and deterministic: the same snapshots and soc2.yml always give the same verdict, so an
 * auditor re-derives it from the stored records (`soc2 drift`). Uses the latest snapshot of each
 * target among those given.
 */
export function evaluateDrift(
  desired: DesiredState,
  snapshots: readonly MonitoringSnapshot[],
  /** Merged access reviews: an access marked remove that the snapshots still show is drift. */
  reviews: readonly AccessReview[] = [],
): ControlDrift[] {
  const latest = new Map<string, MonitoringSnapshot>();
  for (const s of snapshots) {
    const key = targetOf(s.scope);
    const seen = latest.get(key);
    if (!seen || seen.captured_at < s.captured_at) latest.set(key, s);
  }
  const checks = [
    ...desired.declarations.flatMap((d) => checkDeclaration(d, desired, latest)),
    ...accessReviewChecks(reviews, latest),
  ];
  const controls = [
    ...new Set([...desired.declarations.map((d) => d.control), ...checks.map((c) => c.control)]),
  ].sort();
  return controls.map((control) => {
    const own = checks.filter((c) => c.control === control);
    return { control, result: worst(own.map((c) => c.result)), checks: own };
  });
}

export function worst(results: readonly CheckResult[]): CheckResult {
  if (results.includes("fail")) return "fail";
  if (results.includes("unknown")) return "unknown";
  return "pass";
}

function checkDeclaration(
  d: Declaration,
  desired: DesiredState,
  latest: Map<string, MonitoringSnapshot>,
): DriftCheck[] {
  const out: DriftCheck[] = [];
  const add = (target: string, record: string | undefined, checks: Check[]) =>
    out.push(
      ...checks.map((c) => ({
        control: d.control,
        declaration: d.index,
        target,
        ...c,
        ...(record ? { record } : {}),
      })),
    );
  if (d.organization) {
    const name = desired.organization;
    const snapshot = name ? latest.get(`organization ${name}`) : undefined;
    const target = `organization ${name ?? "(none named)"}`;
    if (!snapshot)
      add(target, undefined, [
        missing(
          name
            ? `no snapshot of ${target}`
            : "soc2.yml names no organization (monitoring.organization or organization.github)",
        ),
      ]);
    else
      add(target, snapshot.record, [
        ...organizationChecks(d.organization, snapshot.settings as OrganizationSettings),
        ...organizationItemChecks(
          d.organization,
          snapshot.settings as OrganizationSettings,
          snapshot.captured_at,
        ),
      ]);
  }
  if (d.branch_protection || d.repository) {
    const repositories = d.repositories ?? desired.repositories;
    // Nothing to check is not a pass: the declaration would hold vacuously.
    if (repositories.length === 0)
      add("repositories", undefined, [
        missing(
          "no in-scope repository: list them under monitoring.repositories or system.boundaries.repositories",
        ),
      ]);
    for (const repo of repositories) {
      const snapshot = latest.get(`repository ${repo}`);
      if (!snapshot) {
        add(`repository ${repo}`, undefined, [missing(`no snapshot of repository ${repo}`)]);
        continue;
      }
      const settings = snapshot.settings as RepositorySettings;
      if (d.branch_protection) {
        const name = settings.repository.default_branch;
        const branch = settings.branches.find((b) => b.name === name);
        const target = `repository ${repo} branch ${name}`;
        if (!branch)
          add(target, snapshot.record, [
            missing(`the snapshot has no settings of the default branch ${name}`),
          ]);
        else
          add(target, snapshot.record, [
            ...branchChecks(d.branch_protection, effectiveProtection(branch)),
            ...bypassChecks(d.branch_protection, settings, branch),
          ]);
      }
      if (d.repository)
        add(`repository ${repo}`, snapshot.record, [
          ...repositoryChecks(d.repository, settings),
          ...repositoryItemChecks(d.repository, settings, snapshot.captured_at),
        ]);
    }
  }
  return out;
}

const missing = (reason: string): Check => ({ requirement: "snapshot", result: "unknown", reason });

function branchChecks(
  want: BranchProtectionRequirement,
  have: ReturnType<typeof effectiveProtection>,
): Check[] {
  const out: Check[] = [];
  // A source that could not be read may hold the setting: never fail on a gap, say so instead.
  const gap = have.unknown.length > 0 ? have.unknown.join("; ") : undefined;
  const judge = (requirement: string, ok: boolean, expected: string, actual: string): Check =>
    ok
      ? { requirement, result: "pass", reason: `${expected}: ${actual}` }
      : gap
        ? {
            requirement,
            result: "unknown",
            reason: `${expected}; the snapshot shows ${actual}, but ${gap}`,
          }
        : { requirement, result: "fail", reason: `${expected}; the snapshot shows ${actual}` };
  const flag = (
    requirement: string,
    wanted: boolean | undefined,
    actual: boolean,
    what: string,
  ) => {
    if (wanted !== true) return;
    out.push(judge(requirement, actual, `${what} required`, actual ? "on" : "off"));
  };
  if (want.required_approving_reviews !== undefined)
    out.push(
      judge(
        "required_approving_reviews",
        have.required_approving_review_count >= want.required_approving_reviews,
        `at least ${want.required_approving_reviews} approving review(s) required`,
        `${have.required_approving_review_count}`,
      ),
    );
  flag(
    "dismiss_stale_reviews",
    want.dismiss_stale_reviews,
    have.dismiss_stale_reviews,
    "dismissing stale approvals on a new push",
  );
  flag(
    "require_code_owner_reviews",
    want.require_code_owner_reviews,
    have.require_code_owner_reviews,
    "code-owner review",
  );
  flag(
    "require_last_push_approval",
    want.require_last_push_approval,
    have.require_last_push_approval,
    "approval of the most recent push",
  );
  flag(
    "block_force_pushes",
    want.block_force_pushes,
    have.force_pushes_blocked,
    "blocking force pushes",
  );
  flag("block_deletions", want.block_deletions, have.deletions_blocked, "blocking branch deletion");
  flag(
    "enforce_admins",
    want.enforce_admins,
    have.enforce_admins,
    "holding administrators to the rules (no bypass)",
  );
  if (want.required_status_checks && want.required_status_checks.length > 0) {
    const absent = want.required_status_checks.filter(
      (c) => !have.required_status_checks.includes(c),
    );
    out.push(
      judge(
        "required_status_checks",
        absent.length === 0,
        `required checks ${want.required_status_checks.join(", ")}`,
        absent.length === 0 ? "all required" : `not required: ${absent.join(", ")}`,
      ),
    );
  }
  return out;
}

function organizationChecks(want: OrganizationRequirement, have: OrganizationSettings): Check[] {
  const out: Check[] = [];
  const org = have.organization;
  if (want.two_factor_required === true)
    out.push(
      isNotAvailable(org)
        ? unavailable("two_factor_required", org.not_available)
        : org.two_factor_requirement_enabled === null
          ? unavailable(
              "two_factor_required",
              "GitHub shows the two-factor requirement only to organization owners",
            )
          : verdict(
              "two_factor_required",
              org.two_factor_requirement_enabled,
              "two-factor authentication required for members",
              org.two_factor_requirement_enabled ? "required" : "not required",
            ),
    );
  if (want.default_repository_permission && want.default_repository_permission.length > 0) {
    const allowed = want.default_repository_permission;
    out.push(
      isNotAvailable(org) || org.default_repository_permission === null
        ? unavailable(
            "default_repository_permission",
            isNotAvailable(org)
              ? org.not_available
              : "GitHub shows base permissions only to organization owners",
          )
        : verdict(
            "default_repository_permission",
            allowed.includes(org.default_repository_permission),
            `base permission one of ${allowed.join(", ")}`,
            org.default_repository_permission,
          ),
    );
  }
  if (want.max_owners !== undefined) {
    const max = want.max_owners;
    out.push(
      onPart("max_owners", have.owners, (owners) =>
        verdict(
          "max_owners",
          owners.length <= max,
          `at most ${max} owner(s)`,
          `${owners.length}: ${logins(owners)}`,
        ),
      ),
    );
  }
  if (want.outside_collaborators_allowed === false)
    out.push(
      onPart("outside_collaborators_allowed", have.outside_collaborators, (outside) =>
        verdict(
          "outside_collaborators_allowed",
          outside.length === 0,
          "no outside collaborators",
          logins(outside),
        ),
      ),
    );
  return out;
}

function repositoryChecks(want: RepositoryRequirement, have: RepositorySettings): Check[] {
  const out: Check[] = [];
  const sa = have.security_and_analysis;
  const feature = (requirement: keyof RepositoryRequirement, key: string, what: string) => {
    if (want[requirement] !== true) return;
    if (isNotAvailable(sa)) return out.push(unavailable(requirement, sa.not_available));
    const status = (sa[key] as { status?: unknown } | undefined)?.status;
    if (typeof status !== "string")
      return out.push(
        unavailable(
          requirement,
          `GitHub did not report ${key} (the plan may not offer it, or the token cannot see it)`,
        ),
      );
    out.push(verdict(requirement, status === "enabled", `${what} enabled`, status));
  };
  feature("secret_scanning", "secret_scanning", "secret scanning");
  feature(
    "secret_scanning_push_protection",
    "secret_scanning_push_protection",
    "secret scanning push protection",
  );
  feature(
    "dependabot_security_updates",
    "dependabot_security_updates",
    "Dependabot security updates",
  );
  if (want.outside_collaborator_admin_allowed === false)
    out.push(
      onPart("outside_collaborator_admin_allowed", have.outside_collaborators, (outside) => {
        const admins = outside.filter((c) => c.role_name === "admin");
        return verdict(
          "outside_collaborator_admin_allowed",
          admins.length === 0,
          "no outside collaborator with admin",
          logins(admins),
        );
      }),
    );
  return out;
}
