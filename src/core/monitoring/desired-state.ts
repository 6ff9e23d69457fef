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
}

export interface OrganizationRequirement {
  two_factor_required?: boolean;
  max_owners?: number;
  /** The base permissions allowed, e.g. [none, read]. */
  default_repository_permission?: string[];
  outside_collaborators_allowed?: boolean;
}

export interface RepositoryRequirement {
  secret_scanning?: boolean;
  secret_scanning_push_protection?: boolean;
  dependabot_security_updates?: boolean;
  outside_collaborator_admin_allowed?: boolean;
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
