import { logins, onPart, unavailable, verdict, type Check } from "./check.js";
import type {
  BranchProtectionRequirement,
  OrganizationRequirement,
  RepositoryRequirement,
} from "./desired-state.js";
import {
  isNotAvailable,
  type BranchSettings,
  type OrganizationSettings,
  type Part,
  type RepositorySettings,
  type SecurityAlert,
} from "./snapshot.js";

const DAY = 24 * 60 * 60 * 1000;

/** Whole days from `from` to the snapshot's capture time: the age the snapshot shows, not today's. */
export function ageInDays(from: string, capturedAt: string): number {
  const ms = Date.parse(capturedAt) - Date.parse(from);
  return Number.isFinite(ms) ? Math.floor(ms / DAY) : 0;
}

/** A requirement on an item an older snapshot did not collect: unknown, never pass or fail. */
function onItem<T>(
  requirement: string,
  item: Part<T> | undefined,
  what: string,
  check: (value: T) => Check,
): Check {
  return item === undefined ? notCollected(requirement, what) : onPart(requirement, item, check);
}

const notCollected = (requirement: string, what: string): Check => ({
  requirement,
  result: "unknown",
  reason: `the snapshot does not include ${what} (taken before the monitor collected it): take a new snapshot`,
});

const list = (items: readonly string[]) => (items.length === 0 ? "none" : items.join(", "));

/** Bypass actors of the rulesets whose rules apply to the branch, against the allow-list. */
export function bypassChecks(
  want: BranchProtectionRequirement,
  settings: RepositorySettings,
  branch: BranchSettings,
): Check[] {
  const allowed = want.bypass_allowed;
  if (!allowed) return [];
  const requirement = "bypass_allowed";
  if (isNotAvailable(branch.rules))
    return [onPart(requirement, branch.rules, () => verdict(requirement, true, "", ""))];
  const ids = [
    ...new Set(
      branch.rules.map((r) => r.ruleset_id).filter((id): id is number => typeof id === "number"),
    ),
  ];
  if (ids.length === 0)
    return [
      verdict(
        requirement,
        true,
        "bypass actors limited to the allow-list",
        "no ruleset applies to the branch",
      ),
    ];
  return [
    onItem(requirement, settings.rulesets, "rulesets", (rulesets) => {
      const gaps: string[] = [];
      const extra: string[] = [];
      for (const id of ids) {
        const ruleset = rulesets.find((r) => r.id === id);
        if (!ruleset) gaps.push(`ruleset ${id} was not read`);
        else if (isNotAvailable(ruleset)) gaps.push(`ruleset ${id}: ${ruleset.not_available}`);
        else if (ruleset.bypass_actors === null)
          gaps.push(
            `GitHub did not show the bypass actors of ruleset ${id} ("${ruleset.name}") to the token (needs repository Administration: read)`,
          );
        else if (ruleset.enforcement === "active")
          for (const a of ruleset.bypass_actors) {
            const name = a.actor_id === null ? a.actor_type : `${a.actor_type}:${a.actor_id}`;
            if (!allowed.includes(a.actor_type) && !allowed.includes(name))
              extra.push(`${name} (${a.bypass_mode}) on ruleset "${ruleset.name}"`);
          }
      }
      if (extra.length > 0)
        return verdict(
          requirement,
          false,
          `bypass actors limited to ${list(allowed)}`,
          list(extra),
        );
      if (gaps.length > 0)
        return { requirement, result: "unknown", reason: `not available: ${gaps.join("; ")}` };
      return verdict(requirement, true, `bypass actors limited to ${list(allowed)}`, "no other");
    }),
  ];
}

export function organizationItemChecks(
  want: OrganizationRequirement,
  have: OrganizationSettings,
  capturedAt: string,
): Check[] {
  const out: Check[] = [];
  if (want.owners_allowed) {
    const allowed = want.owners_allowed;
    out.push(
      onPart("owners_allowed", have.owners, (owners) => {
        const others = owners.filter((o) => !allowed.includes(o.login));
        return verdict(
          "owners_allowed",
          others.length === 0,
          `owners only among ${list(allowed)}`,
          `other owners: ${logins(others)}`,
        );
      }),
    );
  }
  if (want.apps_allowed) {
    const allowed = want.apps_allowed;
    out.push(
      onItem("apps_allowed", have.installations, "installed GitHub Apps", (apps) => {
        const others = [
          ...new Set(apps.map((a) => a.app_slug).filter((s) => !allowed.includes(s))),
        ];
        return verdict(
          "apps_allowed",
          others.length === 0,
          `installed Apps only among ${list(allowed)}`,
          `other Apps: ${list(others)}`,
        );
      }),
    );
  }
  if (want.max_invitation_age_days !== undefined) {
    const max = want.max_invitation_age_days;
    out.push(
      onItem("max_invitation_age_days", have.invitations, "pending invitations", (invitations) => {
        const stale = invitations
          .map((i) => ({ i, age: ageInDays(i.created_at, capturedAt) }))
          .filter(({ age }) => age > max)
          .map(
            ({ i, age }) =>
              `${i.login ?? `invitation ${i.id} (by email)`} as ${i.role}, pending ${age} days`,
          );
        return verdict(
          "max_invitation_age_days",
          stale.length === 0,
          `no invitation pending over ${max} days`,
          list(stale),
        );
      }),
    );
  }
  if (want.protection_bypasses_allowed === false)
    out.push(
      onItem("protection_bypasses_allowed", have.audit_log, "the audit log", (log) => {
        const bypasses = log.events
          .filter((e) => e.action === "protected_branch.policy_override")
          .map(
            (e) =>
              `${e.actor} on ${e.repo ?? "?"}${e.branch ? ` ${e.branch}` : ""} at ${e.created_at}`,
          );
        return verdict(
          "protection_bypasses_allowed",
          bypasses.length === 0,
          `no push bypassing branch protection since ${log.since}`,
          list(bypasses),
        );
      }),
    );
  return out;
}

export function repositoryItemChecks(
  want: RepositoryRequirement,
  have: RepositorySettings,
  capturedAt: string,
): Check[] {
  const out: Check[] = [];
  if (want.admins_allowed) {
    const allowed = want.admins_allowed;
    out.push(
      onItem("admins_allowed", have.collaborators, "every collaborator", (people) =>
        onItem("admins_allowed", have.teams, "team access", (teams) => {
          const others = [
            ...people.filter((p) => p.role_name === "admin").map((p) => p.login),
            ...teams.filter((t) => t.permission === "admin").map((t) => `team:${t.slug}`),
          ].filter((name) => !allowed.includes(name));
          return verdict(
            "admins_allowed",
            others.length === 0,
            `admins only among ${list(allowed)}`,
            `other admins: ${list(others)}`,
          );
        }),
      ),
    );
  }
  if (want.deploy_keys_write_allowed === false)
    out.push(
      onItem("deploy_keys_write_allowed", have.deploy_keys, "deploy keys", (keys) => {
        const writing = keys.filter((k) => !k.read_only).map((k) => `"${k.title}" (id ${k.id})`);
        return verdict(
          "deploy_keys_write_allowed",
          writing.length === 0,
          "no deploy key with write access",
          list(writing),
        );
      }),
    );
  if (want.webhooks_require_secret === true)
    out.push(
      onItem("webhooks_require_secret", have.webhooks, "webhooks", (hooks) => {
        const unsigned = hooks
          .filter((h) => h.active && !h.has_secret)
          .map((h) => `${h.url_origin} (id ${h.id})`);
        return verdict(
          "webhooks_require_secret",
          unsigned.length === 0,
          "every active webhook has a secret",
          `without one: ${list(unsigned)}`,
        );
      }),
    );
  if (want.webhooks_insecure_ssl_allowed === false)
    out.push(
      onItem("webhooks_insecure_ssl_allowed", have.webhooks, "webhooks", (hooks) => {
        const insecure = hooks
          .filter((h) => h.insecure_ssl)
          .map((h) => `${h.url_origin} (id ${h.id})`);
        return verdict(
          "webhooks_insecure_ssl_allowed",
          insecure.length === 0,
          "every webhook verifies TLS certificates",
          `not verifying: ${list(insecure)}`,
        );
      }),
    );
  if (want.code_scanning_default_setup === true)
    out.push(
      onItem(
        "code_scanning_default_setup",
        have.code_scanning_default_setup,
        "code scanning default setup",
        (setup) =>
          verdict(
            "code_scanning_default_setup",
            setup.state === "configured",
            "code scanning default setup configured",
            setup.state,
          ),
      ),
    );
  if (want.max_open_alert_age_days)
    out.push(...alertChecks(want.max_open_alert_age_days, have, capturedAt));
  return out;
}

function alertChecks(
  limits: { critical?: number; high?: number },
  have: RepositorySettings,
  capturedAt: string,
): Check[] {
  const requirement = "max_open_alert_age_days";
  const wanted = (["critical", "high"] as const).filter((s) => limits[s] !== undefined);
  const expected = wanted.map((s) => `${s} over ${limits[s]} days`).join(", ");
  if (!have.alerts) return [notCollected(requirement, "open alerts")];
  const sources: Array<[string, Part<SecurityAlert[]>]> = [
    ["Dependabot", have.alerts.dependabot],
    ["code scanning", have.alerts.code_scanning],
    ["secret scanning", have.alerts.secret_scanning],
  ];
  const old: string[] = [];
  const gaps: string[] = [];
  for (const [source, alerts] of sources) {
    if (isNotAvailable(alerts)) {
      gaps.push(`${source} alerts: ${alerts.not_available}`);
      continue;
    }
    for (const a of alerts) {
      const limit = limits[a.severity as "critical" | "high"];
      const age = ageInDays(a.created_at, capturedAt);
      if (limit !== undefined && age > limit)
        old.push(`${source} #${a.number} ${a.severity}, open ${age} days (${a.summary})`);
    }
  }
  if (old.length > 0) return [verdict(requirement, false, `no open alert ${expected}`, list(old))];
  if (gaps.length > 0) return [unavailable(requirement, gaps.join("; "))];
  return [verdict(requirement, true, `no open alert ${expected}`, "none")];
}
