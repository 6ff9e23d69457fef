import type {
  AppInstallationState,
  CodeScanningAlertState,
  DependabotAlertState,
  DeployKeyState,
  InvitationState,
  RulesetState,
  SecretScanningAlertState,
  TeamAccessState,
  WebhookState,
} from "../state/monitoring-items.js";
import type { RepositoryState } from "../state/repository.js";
import type { Account } from "../state/types.js";
import { nodeId, type SerializeContext } from "./context.js";
import { installation } from "./apps.js";
import { simpleUser } from "./users.js";

/** A ruleset as `repository-ruleset`, with its bypass actors (GitHub shows them to admins). */
export function ruleset(
  ctx: SerializeContext,
  repo: RepositoryState,
  r: RulesetState,
): Record<string, unknown> {
  const href = `${ctx.api}/repos/${repo.fullName}/rulesets/${r.id}`;
  return {
    id: r.id,
    name: r.name,
    target: "branch",
    source_type: r.sourceType,
    source: r.source,
    enforcement: r.enforcement,
    bypass_actors: r.bypassActors.map((a) => ({ ...a })),
    current_user_can_bypass: "never",
    node_id: nodeId("RepositoryRuleset", r.id),
    _links: { self: { href }, html: { href: `${ctx.web}/${repo.fullName}/rules/${r.id}` } },
    conditions: { ref_name: { include: [...r.include], exclude: [] } },
    rules: (repo.rules.get(repo.defaultBranch) ?? [])
      .filter((rule) => (rule.ruleset_id ?? 1) === r.id)
      .map((rule) => ({
        type: rule.type,
        ...(rule.parameters ? { parameters: rule.parameters } : {}),
      })),
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

/** A team with its permission on a repository, as `team` (GET /repos/{o}/{r}/teams). */
export function teamWithPermission(
  ctx: SerializeContext,
  org: string,
  t: TeamAccessState,
): Record<string, unknown> {
  const url = `${ctx.api}/organizations/1/team/${t.teamId}`;
  return {
    id: t.teamId,
    node_id: nodeId("Team", t.teamId),
    url,
    html_url: `${ctx.web}/orgs/${org}/teams/${t.slug}`,
    name: t.name,
    slug: t.slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    permission: t.permission,
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: "organization",
    parent: null,
  };
}

/** A pending invitation as `organization-invitation`. */
export function invitation(
  ctx: SerializeContext,
  org: string,
  i: InvitationState,
): Record<string, unknown> {
  return {
    id: i.id,
    login: i.login,
    email: i.email,
    role: i.role,
    created_at: i.createdAt,
    failed_at: null,
    failed_reason: null,
    inviter: simpleUser(ctx, i.inviter),
    team_count: 0,
    node_id: nodeId("OrganizationInvitation", i.id),
    invitation_teams_url: `${ctx.api}/organizations/${org}/invitations/${i.id}/teams`,
    invitation_source: "member",
  };
}

/** Another App's installation on the organization, as `installation`. */
export function otherInstallation(
  ctx: SerializeContext,
  account: Account,
  i: AppInstallationState,
): Record<string, unknown> {
  return installation(ctx, { ...i, account }, { id: i.appId, slug: i.appSlug });
}

/** A Dependabot alert as `dependabot-alert`. */
export function dependabotAlert(
  ctx: SerializeContext,
  repo: RepositoryState,
  a: DependabotAlertState,
): Record<string, unknown> {
  const pkg = { ecosystem: a.ecosystem, name: a.packageName };
  const vulnerability = {
    package: pkg,
    severity: a.severity,
    vulnerable_version_range: "< 1.0.1",
    first_patched_version: { identifier: "1.0.1" },
  };
  return {
    number: a.number,
    state: a.state,
    dependency: { package: pkg, manifest_path: "package-lock.json", scope: "runtime" },
    security_advisory: {
      ghsa_id: a.ghsaId,
      cve_id: null,
      summary: a.summary,
      description: a.summary,
      vulnerabilities: [vulnerability],
      severity: a.severity,
      cvss: { score: 0, vector_string: null },
      cwes: [],
      identifiers: [{ type: "GHSA", value: a.ghsaId }],
      references: [{ url: `https://github.com/advisories/${a.ghsaId}` }],
      published_at: a.createdAt,
      updated_at: a.createdAt,
      withdrawn_at: null,
    },
    security_vulnerability: vulnerability,
    url: `${ctx.api}/repos/${repo.fullName}/dependabot/alerts/${a.number}`,
    html_url: `${ctx.web}/${repo.fullName}/security/dependabot/${a.number}`,
    created_at: a.createdAt,
    updated_at: a.createdAt,
    dismissed_at: null,
    dismissed_by: null,
    dismissed_reason: null,
    dismissed_comment: null,
    fixed_at: null,
    auto_dismissed_at: null,
  };
}

/** A code scanning alert as `code-scanning-alert-items`. */
export function codeScanningAlert(
  ctx: SerializeContext,
  repo: RepositoryState,
  a: CodeScanningAlertState,
): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}/code-scanning/alerts/${a.number}`;
  return {
    number: a.number,
    created_at: a.createdAt,
    updated_at: a.createdAt,
    url,
    html_url: `${ctx.web}/${repo.fullName}/security/code-scanning/${a.number}`,
    instances_url: `${url}/instances`,
    state: a.state,
    fixed_at: null,
    dismissed_by: null,
    dismissed_at: null,
    dismissed_reason: null,
    dismissed_comment: null,
    rule: {
      id: a.ruleId,
      name: a.ruleId,
      severity: "error",
      security_severity_level: a.securitySeverity,
      description: a.ruleDescription,
      tags: ["security"],
    },
    tool: { name: "CodeQL", version: "2.20.0", guid: null },
    most_recent_instance: {
      ref: `refs/heads/${repo.defaultBranch}`,
      analysis_key: ".github/workflows/codeql.yml:analyze",
      category: "/language:javascript",
      state: a.state,
      commit_sha: "0".repeat(40),
      message: { text: a.ruleDescription },
      location: {
        path: "src/index.js",
        start_line: 1,
        end_line: 1,
        start_column: 1,
        end_column: 2,
      },
      classifications: [],
    },
  };
}

/** A secret scanning alert as `secret-scanning-alert`, secret included, as GitHub returns it. */
export function secretScanningAlert(
  ctx: SerializeContext,
  repo: RepositoryState,
  a: SecretScanningAlertState,
): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}/secret-scanning/alerts/${a.number}`;
  return {
    number: a.number,
    created_at: a.createdAt,
    updated_at: a.createdAt,
    url,
    html_url: `${ctx.web}/${repo.fullName}/security/secret-scanning/${a.number}`,
    locations_url: `${url}/locations`,
    state: a.state,
    resolution: null,
    resolved_at: null,
    resolved_by: null,
    resolution_comment: null,
    secret_type: a.secretType,
    secret_type_display_name: a.secretTypeDisplayName,
    secret: a.secret,
    push_protection_bypassed: false,
    push_protection_bypassed_by: null,
    push_protection_bypassed_at: null,
    validity: "unknown",
    publicly_leaked: false,
    multi_repo: false,
  };
}

/** A deploy key as `deploy-key`. */
export function deployKey(
  ctx: SerializeContext,
  repo: RepositoryState,
  k: DeployKeyState,
): Record<string, unknown> {
  return {
    id: k.id,
    key: k.key,
    url: `${ctx.api}/repos/${repo.fullName}/keys/${k.id}`,
    title: k.title,
    verified: true,
    created_at: k.createdAt,
    read_only: k.readOnly,
    added_by: null,
    last_used: null,
    enabled: true,
  };
}

/** A repository webhook as `hook`: a secret shows as "********", as on GitHub. */
export function webhook(
  ctx: SerializeContext,
  repo: RepositoryState,
  h: WebhookState,
): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}/hooks/${h.id}`;
  return {
    type: "Repository",
    id: h.id,
    name: "web",
    active: h.active,
    events: [...h.events],
    config: {
      url: h.url,
      content_type: h.contentType,
      insecure_ssl: h.insecureSsl,
      ...(h.secret ? { secret: "********" } : {}),
    },
    updated_at: h.createdAt,
    created_at: h.createdAt,
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: { code: null, status: "unused", message: null },
  };
}
