import type {
  OrganizationSettings,
  RepositorySettings,
} from "../../../src/core/monitoring/index.js";

/** Classic protection of a well-protected branch, as GitHub answers it (URLs left out). */
export const strongProtection = (): Record<string, unknown> => ({
  required_status_checks: { strict: true, contexts: ["test", "soc2 / validate"] },
  required_pull_request_reviews: {
    dismiss_stale_reviews: true,
    require_code_owner_reviews: true,
    required_approving_review_count: 1,
    require_last_push_approval: true,
  },
  enforce_admins: { enabled: true },
  allow_force_pushes: { enabled: false },
  allow_deletions: { enabled: false },
});

export function repositorySettings(
  overrides: Partial<RepositorySettings> = {},
): RepositorySettings {
  return {
    repository: {
      full_name: "acme/web",
      id: 7,
      default_branch: "main",
      visibility: "private",
      archived: false,
    },
    security_and_analysis: {
      secret_scanning: { status: "enabled" },
      secret_scanning_push_protection: { status: "enabled" },
      dependabot_security_updates: { status: "enabled" },
    },
    branches: [{ name: "main", protection: strongProtection(), rules: [] }],
    outside_collaborators: [],
    ...overrides,
  };
}

export function organizationSettings(
  overrides: Partial<OrganizationSettings> = {},
): OrganizationSettings {
  return {
    organization: {
      login: "acme",
      id: 1,
      two_factor_requirement_enabled: true,
      default_repository_permission: "read",
    },
    owners: [{ login: "olivia", id: 10 }],
    members: [
      { login: "olivia", id: 10 },
      { login: "bob", id: 11 },
    ],
    outside_collaborators: [],
    ...overrides,
  };
}
