/**
 * The settings snapshot of one organization or one repository, as the monitor collects it from
 * GitHub's API and stores it in a settings-snapshot record. Values keep GitHub's own field names,
 * so an auditor can compare them with the API documentation; everything the drift evaluator
 * concludes is derived from these stored values, never from the live API.
 */

/**
 * What stands in for a part of the snapshot the API would not give: the plan lacks the feature,
 * or the token lacks the permission. Recorded, so an auditor sees the gap instead of a silence.
 */
export interface NotAvailable {
  not_available: string;
}

/** A part of a snapshot: its value, or why it could not be read. */
export type Part<T> = T | NotAvailable;

export function isNotAvailable(value: unknown): value is NotAvailable {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { not_available?: unknown }).not_available === "string"
  );
}

export interface AccountRef {
  login: string;
  id: number;
}

export interface OrganizationSettings {
  organization: Part<{
    login: string;
    id: number;
    /** null: GitHub shows it only to owners (the token cannot see it). */
    two_factor_requirement_enabled: boolean | null;
    default_repository_permission: string | null;
  }>;
  owners: Part<AccountRef[]>;
  members: Part<AccountRef[]>;
  outside_collaborators: Part<AccountRef[]>;
}

export interface BranchSettings {
  name: string;
  /** Classic branch protection as GitHub answers it (URLs left out); null: not protected. */
  protection: Part<Record<string, unknown> | null>;
  /** The ruleset rules that apply to the branch (GET /repos/{o}/{r}/rules/branches/{b}). */
  rules: Part<Array<Record<string, unknown>>>;
}

export interface RepositorySettings {
  repository: {
    full_name: string;
    id: number;
    default_branch: string;
    visibility?: string;
    archived?: boolean;
  };
  /** The repository's security_and_analysis block (secret scanning, push protection, Dependabot security updates). */
  security_and_analysis: Part<Record<string, unknown>>;
  /** The default branch first, then every other protected branch. */
  branches: BranchSettings[];
  outside_collaborators: Part<Array<AccountRef & { role_name: string }>>;
}

/** What a snapshot is of. */
export type SnapshotScope =
  { type: "organization"; name: string } | { type: "repository"; name: string };

/** A snapshot with its settings resolved (a compact record's `same_as` already followed). */
export interface MonitoringSnapshot {
  scope: SnapshotScope;
  captured_at: string;
  settings: OrganizationSettings | RepositorySettings;
  /** The evidence record it was read from, when it came from one. */
  record?: string;
}

/** The target text of a snapshot record, e.g. "organization acme" or "repository acme/web". */
export function targetOf(scope: SnapshotScope): string {
  return `${scope.type} ${scope.name}`;
}
