import { asList, asObject, asString, asStrings } from "../json-read.js";

/**
 * What must hold on GitHub, from soc2.yml's `monitoring:` section (schemas/soc2.schema.json,
 * $defs.monitoring). Each declaration is tied to a control: drift of a declaration is drift of
 * that control. Read leniently, like the rest of soc2.yml; the schema reports what is malformed.
 */
export interface DesiredState {
  /** The organization to snapshot: monitoring.organization, else organization.github. */
  organization?: string;
  /** In-scope repositories: monitoring.repositories, else system.boundaries.repositories. */
  repositories: string[];
  declarations: Declaration[];
}

export interface BranchProtectionRequirement {
  required_approving_reviews?: number;
  dismiss_stale_reviews?: boolean;
  require_code_owner_reviews?: boolean;
  require_last_push_approval?: boolean;
  required_status_checks?: string[];
  block_force_pushes?: boolean;
  block_deletions?: boolean;
  enforce_admins?: boolean;
  /**
   * Who may bypass the rulesets that apply to the default branch: "OrganizationAdmin",
   * "RepositoryRole", "Team", "Integration", "DeployKey", optionally with the actor id after a
   * colon ("Team:42"); any other bypass actor is drift.
   */
  bypass_allowed?: string[];
}

export interface OrganizationRequirement {
  two_factor_required?: boolean;
  max_owners?: number;
  /** The base permissions allowed, e.g. [none, read]. */
  default_repository_permission?: string[];
  outside_collaborators_allowed?: boolean;
  /** The logins that may be organization owners. */
  owners_allowed?: string[];
  /** The GitHub Apps (by slug) that may be installed on the organization. */
  apps_allowed?: string[];
  /** No invitation pending for longer than this many days. */
  max_invitation_age_days?: number;
  /** false: the audit log shows no push that bypassed branch protection in the period. */
  protection_bypasses_allowed?: boolean;
}

export interface RepositoryRequirement {
  secret_scanning?: boolean;
  secret_scanning_push_protection?: boolean;
  dependabot_security_updates?: boolean;
  outside_collaborator_admin_allowed?: boolean;
  /** Who may administer the repository: logins, and teams as "team:<slug>". */
  admins_allowed?: string[];
  /** false: no deploy key may write. */
  deploy_keys_write_allowed?: boolean;
  /** true: every active webhook has a secret (its deliveries are signed). */
  webhooks_require_secret?: boolean;
  /** false: no webhook skips TLS certificate verification. */
  webhooks_insecure_ssl_allowed?: boolean;
  /** true: code scanning default setup is configured. */
  code_scanning_default_setup?: boolean;
  /** No open alert (Dependabot, code scanning, secret scanning) of this severity older than so many days. */
  max_open_alert_age_days?: { critical?: number; high?: number };
}

export interface Declaration {
  control: string;
  /** Its place in monitoring.desired_state, for diagnostics. */
  index: number;
  /** Repositories it applies to; every in-scope repository when absent. */
  repositories?: string[];
  branch_protection?: BranchProtectionRequirement;
  organization?: OrganizationRequirement;
  repository?: RepositoryRequirement;
}

export function readDesiredState(program: unknown): DesiredState {
  const raw = asObject(program);
  const monitoring = asObject(raw.monitoring);
  const organization =
    asString(monitoring.organization) ?? asString(asObject(raw.organization).github);
  const listed = asStrings(monitoring.repositories);
  return {
    ...(organization ? { organization } : {}),
    repositories:
      listed.length > 0
        ? listed
        : asStrings(asObject(asObject(raw.system).boundaries).repositories),
    declarations: asList(monitoring.desired_state).flatMap((entry, index) => {
      const e = asObject(entry);
      const control = asString(e.control);
      if (!control) return [];
      const declaration: Declaration = { control, index };
      if (Array.isArray(e.repositories)) declaration.repositories = asStrings(e.repositories);
      if (e.branch_protection)
        declaration.branch_protection = asObject(
          e.branch_protection,
        ) as BranchProtectionRequirement;
      if (e.organization)
        declaration.organization = asObject(e.organization) as OrganizationRequirement;
      if (e.repository) declaration.repository = asObject(e.repository) as RepositoryRequirement;
      return [declaration];
    }),
  };
}
