import { createHash } from "node:crypto";
import { asList, asObject, asString, asStrings } from "../../../core/json-read.js";
import {
  isNotAvailable,
  type AuditEvent,
  type BranchSettings,
  type InstalledApp,
  type OrganizationSettings,
  type PendingInvitation,
  type RepositorySettings,
  type RulesetSnapshot,
  type SecurityAlert,
  type WebhookSnapshot,
} from "../../../core/monitoring/index.js";
import { accountRef } from "./collect-organization.js";
import type { PartReader } from "./read-part.js";

type OrganizationItems = Pick<OrganizationSettings, "invitations" | "installations" | "audit_log">;
type RepositoryItems = Required<
  Pick<
    RepositorySettings,
    | "collaborators"
    | "teams"
    | "rulesets"
    | "code_scanning_default_setup"
    | "alerts"
    | "deploy_keys"
    | "webhooks"
  >
>;

/**
 * The audit-log searches the monitor makes, one category each: changes and bypasses of branch
 * protection (`protected_branch.policy_override` is a push, force push included, that bypassed it),
 * ruleset changes, and role changes of organization members and repository collaborators.
 */
export const AUDIT_LOG_PHRASES = [
  "action:protected_branch",
  "action:repository_ruleset",
  "action:org.update_member",
  "action:repo.update_member",
] as const;

const num = (value: unknown) => (typeof value === "number" ? value : 0);

/** A repository collaborator as the snapshot keeps it: the account and its role there. */
export const collaboratorRef = (item: unknown) => ({
  ...accountRef(item),
  role_name: asString(asObject(item).role_name) ?? "",
});

/** Pending invitations, installed Apps and, where the plan offers it, the audit log since `since`. */
export async function collectOrganizationItems(
  read: PartReader,
  org: string,
  options: { auditLogSince: string },
): Promise<OrganizationItems> {
  const [invitations, installations, auditLog] = await Promise.all([
    read.list("GET /orgs/{org}/invitations", { org }, (item): PendingInvitation => {
      const i = asObject(item);
      return {
        id: num(i.id),
        login: asString(i.login) ?? null,
        role: asString(i.role) ?? "",
        created_at: asString(i.created_at) ?? "",
        inviter: asString(asObject(i.inviter).login) ?? "",
      };
    }),
    read.list("GET /orgs/{org}/installations", { org }, (item): InstalledApp => {
      const i = asObject(item);
      return {
        id: num(i.id),
        app_slug: asString(i.app_slug) ?? "",
        app_id: num(i.app_id),
        repository_selection: asString(i.repository_selection) ?? "",
        permissions: Object.fromEntries(
          Object.entries(asObject(i.permissions))
            .filter((e): e is [string, string] => typeof e[1] === "string")
            .sort(([a], [b]) => a.localeCompare(b)),
        ),
        events: asStrings(i.events).sort(),
      };
    }),
    auditLogSince(read, org, options.auditLogSince),
  ]);
  return {
    invitations: sortedBy(invitations, (i) => i.id),
    installations: sortedBy(installations, (i) => i.id),
    audit_log: auditLog,
  };
}

async function auditLogSince(
  read: PartReader,
  org: string,
  since: string,
): Promise<OrganizationItems["audit_log"]> {
  const day = since.slice(0, 10);
  const events: AuditEvent[] = [];
  for (const phrase of AUDIT_LOG_PHRASES) {
    const found = await read.list(
      "GET /orgs/{org}/audit-log",
      { org, phrase: `${phrase} created:>=${day}`, order: "asc" },
      auditEvent,
    );
    // One refusal is the plan's (or the token's): the log is not available at all.
    if (isNotAvailable(found)) return found;
    events.push(...found.filter((e) => e.created_at >= since));
  }
  events.sort(
    (a, b) => a.created_at.localeCompare(b.created_at) || a.action.localeCompare(b.action),
  );
  return { since, events };
}

function auditEvent(item: unknown): AuditEvent {
  const e = asObject(item);
  const at = e.created_at ?? e["@timestamp"];
  const event: AuditEvent = {
    action: asString(e.action) ?? "",
    actor: asString(e.actor) ?? "",
    created_at: typeof at === "number" ? new Date(at).toISOString() : (asString(at) ?? ""),
  };
  for (const key of ["repo", "branch", "user", "permission"] as const) {
    const value = asString(e[key]);
    if (value !== undefined) event[key] = value;
  }
  return event;
}

/**
 * Team access, every collaborator's role, the rulesets of the recorded branches with their bypass
 * actors, code scanning default setup, open critical and high alerts, deploy keys and webhooks.
 * Secrets never enter the snapshot: alerts keep the secret type, webhooks whether a secret is set.
 */
export async function collectRepositoryItems(
  read: PartReader,
  fullName: string,
  branches: readonly BranchSettings[],
): Promise<RepositoryItems> {
  const [owner = "", repo = ""] = fullName.split("/");
  const base = { owner, repo };
  const rulesetIds = [
    ...new Set(
      branches.flatMap((b) =>
        isNotAvailable(b.rules)
          ? []
          : b.rules.map((r) => r.ruleset_id).filter((id): id is number => typeof id === "number"),
      ),
    ),
  ].sort((a, b) => a - b);
  const [collaborators, teams, rulesets, setup, dependabot, codeScanning, secrets, keys, hooks] =
    await Promise.all([
      read.list(
        "GET /repos/{owner}/{repo}/collaborators",
        { ...base, affiliation: "all" },
        collaboratorRef,
      ),
      read.list("GET /repos/{owner}/{repo}/teams", base, (t) => {
        const v = asObject(t);
        return {
          slug: asString(v.slug) ?? "",
          id: num(v.id),
          name: asString(v.name) ?? "",
          permission: asString(v.permission) ?? "",
        };
      }),
      Promise.all(rulesetIds.map((id) => rulesetOf(read, base, id))),
      read.get("GET /repos/{owner}/{repo}/code-scanning/default-setup", base, (data) => {
        const d = asObject(data);
        return {
          state: asString(d.state) ?? "",
          languages: asStrings(d.languages).sort(),
          query_suite: asString(d.query_suite) ?? "",
        };
      }),
      read.list(
        "GET /repos/{owner}/{repo}/dependabot/alerts",
        { ...base, state: "open", severity: "critical,high" },
        (a): SecurityAlert => {
          const v = asObject(a);
          const advisory = asObject(v.security_advisory);
          const pkg = asObject(asObject(v.dependency).package);
          return {
            number: num(v.number),
            severity:
              asString(asObject(v.security_vulnerability).severity) ??
              asString(advisory.severity) ??
              "",
            created_at: asString(v.created_at) ?? "",
            summary:
              `${asString(advisory.ghsa_id) ?? ""} ${asString(pkg.ecosystem) ?? ""}/${asString(pkg.name) ?? ""}: ${asString(advisory.summary) ?? ""}`.trim(),
          };
        },
      ),
      read.list(
        "GET /repos/{owner}/{repo}/code-scanning/alerts",
        { ...base, state: "open" },
        (a): SecurityAlert => {
          const v = asObject(a);
          const rule = asObject(v.rule);
          return {
            number: num(v.number),
            severity: asString(rule.security_severity_level) ?? asString(rule.severity) ?? "",
            created_at: asString(v.created_at) ?? "",
            summary: `${asString(rule.id) ?? ""}: ${asString(rule.description) ?? ""}`,
          };
        },
      ),
      read.list(
        "GET /repos/{owner}/{repo}/secret-scanning/alerts",
        { ...base, state: "open" },
        // The secret itself (`secret`) is never read into the snapshot.
        (a): SecurityAlert => {
          const v = asObject(a);
          return {
            number: num(v.number),
            severity: "critical",
            created_at: asString(v.created_at) ?? "",
            summary: asString(v.secret_type_display_name) ?? asString(v.secret_type) ?? "",
          };
        },
      ),
      read.list("GET /repos/{owner}/{repo}/keys", base, (k) => {
        const v = asObject(k);
        // The public key is left out: the id identifies the key, the title says what it is for.
        return {
          id: num(v.id),
          title: asString(v.title) ?? "",
          read_only: v.read_only !== false,
          created_at: asString(v.created_at) ?? "",
        };
      }),
      read.list("GET /repos/{owner}/{repo}/hooks", base, webhookOf),
    ]);
  const severe = (list: typeof dependabot) =>
    isNotAvailable(list)
      ? list
      : list
          .filter((a) => a.severity === "critical" || a.severity === "high")
          .sort((a, b) => a.number - b.number);
  return {
    collaborators: sortedBy(collaborators, (c) => c.login),
    teams: sortedBy(teams, (t) => t.slug),
    rulesets,
    code_scanning_default_setup: setup,
    alerts: {
      dependabot: severe(dependabot),
      code_scanning: severe(codeScanning),
      secret_scanning: sortedBy(secrets, (a) => a.number),
    },
    deploy_keys: sortedBy(keys, (k) => k.id),
    webhooks: sortedBy(hooks, (h) => h.id),
  };
}

async function rulesetOf(
  read: PartReader,
  base: { owner: string; repo: string },
  id: number,
): Promise<RulesetSnapshot> {
  const ruleset = await read.get(
    "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}",
    { ...base, ruleset_id: id, includes_parents: true },
    (data) => {
      const r = asObject(data);
      return {
        name: asString(r.name) ?? "",
        source_type: asString(r.source_type) ?? "",
        source: asString(r.source) ?? "",
        enforcement: asString(r.enforcement) ?? "",
        bypass_actors: Array.isArray(r.bypass_actors)
          ? asList(r.bypass_actors)
              .map((a) => {
                const v = asObject(a);
                return {
                  actor_type: asString(v.actor_type) ?? "",
                  actor_id: typeof v.actor_id === "number" ? v.actor_id : null,
                  bypass_mode: asString(v.bypass_mode) ?? "",
                };
              })
              .sort(
                (a, b) =>
                  a.actor_type.localeCompare(b.actor_type) || (a.actor_id ?? 0) - (b.actor_id ?? 0),
              )
          : null,
      };
    },
  );
  return { id, ...ruleset };
}

/** A webhook without its secrets: the URL's origin and digest, whether a secret is set. */
function webhookOf(item: unknown): WebhookSnapshot {
  const h = asObject(item);
  const config = asObject(h.config);
  const url = asString(config.url) ?? "";
  let origin = "";
  try {
    origin = new URL(url).origin;
  } catch {
    origin = "(not a URL)";
  }
  const secret = asString(config.secret);
  return {
    id: num(h.id),
    active: h.active === true,
    events: asStrings(h.events).sort(),
    url_origin: origin,
    url_digest: `sha256:${createHash("sha256").update(url, "utf8").digest("hex")}`,
    content_type: asString(config.content_type) ?? "",
    insecure_ssl: config.insecure_ssl === "1" || config.insecure_ssl === 1,
    has_secret: secret !== undefined && secret !== "",
  };
}

function sortedBy<T>(
  list: T[] | { not_available: string },
  key: (item: T) => string | number,
): T[] | { not_available: string } {
  if (!Array.isArray(list)) return list;
  return [...list].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return typeof x === "number" && typeof y === "number"
      ? x - y
      : String(x).localeCompare(String(y));
  });
}
