import type { RepositoryState } from "../state/repository.js";
import type {
  CollaboratorState,
  RepositorySecurityState,
  OrganizationSettingsState,
} from "../state/settings.js";
import type { Account } from "../state/types.js";
import { nodeId, type SerializeContext } from "./context.js";
import { simpleUser } from "./users.js";

/** An organization as GitHub's `organization-full`. */
export function organizationFull(
  ctx: SerializeContext,
  org: Account,
  settings: OrganizationSettingsState | undefined,
): Record<string, unknown> {
  const createdAt = "2020-01-01T00:00:00Z"; // the stand-in keeps no creation time for accounts
  const url = `${ctx.api}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId("Organization", org.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${org.id}?v=4`,
    description: null,
    name: org.name,
    html_url: `${ctx.web}/${org.login}`,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: "Organization",
    created_at: createdAt,
    updated_at: createdAt,
    archived_at: null,
    two_factor_requirement_enabled: settings ? settings.twoFactorRequired : null,
    default_repository_permission: settings ? settings.defaultRepositoryPermission : null,
  };
}

/** The `security_and_analysis` block of a repository: one { status } per feature the plan offers. */
export function securityAndAnalysis(security: RepositorySecurityState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (security.secretScanning) out.secret_scanning = { status: security.secretScanning };
  if (security.pushProtection)
    out.secret_scanning_push_protection = { status: security.pushProtection };
  if (security.dependabotSecurityUpdates)
    out.dependabot_security_updates = { status: security.dependabotSecurityUpdates };
  return out;
}

const LEVELS = ["read", "triage", "write", "maintain", "admin"] as const;

/** A repository collaborator as GitHub's `collaborator`: the user, their permissions and role. */
export function collaborator(ctx: SerializeContext, c: CollaboratorState): Record<string, unknown> {
  const level = LEVELS.indexOf(c.role);
  return {
    ...simpleUser(ctx, c.account),
    permissions: {
      pull: level >= 0,
      triage: level >= 1,
      push: level >= 2,
      maintain: level >= 3,
      admin: level >= 4,
    },
    role_name: c.role,
  };
}

/** A branch as GitHub's `short-branch` (GET /repos/{o}/{r}/branches). */
export function shortBranch(
  ctx: SerializeContext,
  repo: RepositoryState,
  name: string,
  sha: string,
  isProtected: boolean,
): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}`;
  return {
    name,
    commit: { sha, url: `${url}/commits/${sha}` },
    protected: isProtected,
    protection_url: `${url}/branches/${encodeURIComponent(name)}/protection`,
  };
}
