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
  // The items below were added later: a snapshot taken before has none of them (not collected).
  /** Pending invitations; `login` null: invited by email (the address is not kept). */
  invitations?: Part<PendingInvitation[]>;
  /** GitHub Apps installed on the organization. */
  installations?: Part<InstalledApp[]>;
  /** The organization audit log's events of interest since `since` (GitHub Enterprise Cloud only). */
  audit_log?: Part<{ since: string; events: AuditEvent[] }>;
}

export interface PendingInvitation {
  id: number;
  login: string | null;
  role: string;
  created_at: string;
  inviter: string;
}

export interface InstalledApp {
  id: number;
  app_slug: string;
  app_id: number;
  repository_selection: string;
  permissions: Record<string, string>;
  events: string[];
}

/** An audit-log event: bypasses and changes of protection and rulesets, role grants. */
export interface AuditEvent {
  action: string;
  actor: string;
  created_at: string;
  repo?: string;
  branch?: string;
  user?: string;
  permission?: string;
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
  // The items below were added later: a snapshot taken before has none of them (not collected).
  /** Every collaborator (direct, through a team or the base permission) with their role. */
  collaborators?: Part<Array<AccountRef & { role_name: string }>>;
  /** Teams with access to the repository and their permission. */
  teams?: Part<Array<{ slug: string; id: number; name: string; permission: string }>>;
  /** The rulesets whose rules apply to a recorded branch, each with who may bypass it. */
  rulesets?: RulesetSnapshot[];
  code_scanning_default_setup?: Part<{ state: string; languages: string[]; query_suite: string }>;
  /** Open critical and high alerts (secret scanning: every open alert, counted as critical). */
  alerts?: {
    dependabot: Part<SecurityAlert[]>;
    code_scanning: Part<SecurityAlert[]>;
    secret_scanning: Part<SecurityAlert[]>;
  };
  deploy_keys?: Part<Array<{ id: number; title: string; read_only: boolean; created_at: string }>>;
  /** Webhooks, without their secrets: `has_secret` says whether one is set, the URL keeps its origin only. */
  webhooks?: Part<WebhookSnapshot[]>;
}

export interface BypassActor {
  actor_type: string;
  actor_id: number | null;
  bypass_mode: string;
}

export type RulesetSnapshot = { id: number } & Part<{
  name: string;
  source_type: string;
  source: string;
  enforcement: string;
  /** null: GitHub shows bypass actors only to callers who may edit the ruleset. */
  bypass_actors: BypassActor[] | null;
}>;

export interface SecurityAlert {
  number: number;
  severity: string;
  created_at: string;
  /** The advisory, rule or secret type; never the secret itself. */
  summary: string;
}

export interface WebhookSnapshot {
  id: number;
  active: boolean;
  events: string[];
  /** scheme://host of the payload URL: paths and queries often carry credentials. */
  url_origin: string;
  /** SHA-256 of the full URL, so a change of it shows without storing it. */
  url_digest: string;
  content_type: string;
  insecure_ssl: boolean;
  has_secret: boolean;
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
