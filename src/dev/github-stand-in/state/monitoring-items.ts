import type { Account } from "./types.js";

/** A ruleset as GET /repos/{o}/{r}/rulesets/{id} serves it (the parts monitoring reads). */
export interface RulesetState {
  id: number;
  name: string;
  /** "Repository" or "Organization": where the ruleset is defined. */
  sourceType: "Repository" | "Organization";
  source: string;
  enforcement: "active" | "evaluate" | "disabled";
  bypassActors: Array<{
    actor_id: number | null;
    actor_type: "Integration" | "OrganizationAdmin" | "RepositoryRole" | "Team" | "DeployKey";
    bypass_mode: "always" | "pull_request";
  }>;
  /** Branch name patterns it includes, e.g. ["~DEFAULT_BRANCH"]. */
  include: string[];
}

export interface TeamAccessState {
  teamId: number;
  slug: string;
  name: string;
  permission: "pull" | "triage" | "push" | "maintain" | "admin";
}

export interface InvitationState {
  id: number;
  login: string | null;
  email: string | null;
  role: "direct_member" | "admin" | "billing_manager" | "hiring_manager" | "reinstate";
  createdAt: string;
  inviter: Account;
}

/** An installation of a GitHub App other than the stand-in's own. */
export interface AppInstallationState {
  id: number;
  appId: number;
  appSlug: string;
  repositorySelection: "all" | "selected";
  permissions: Record<string, "read" | "write" | "admin">;
  events: string[];
  createdAt: string;
}

export type AlertSeverity = "critical" | "high" | "medium" | "low";

export interface DependabotAlertState {
  number: number;
  state: "open" | "fixed" | "dismissed" | "auto_dismissed";
  severity: AlertSeverity;
  ecosystem: string;
  packageName: string;
  ghsaId: string;
  summary: string;
  createdAt: string;
}

export interface CodeScanningAlertState {
  number: number;
  state: "open" | "dismissed" | "fixed";
  securitySeverity: AlertSeverity;
  ruleId: string;
  ruleDescription: string;
  createdAt: string;
}

export interface SecretScanningAlertState {
  number: number;
  state: "open" | "resolved";
  secretType: string;
  secretTypeDisplayName: string;
  /** The leaked secret: GitHub returns it; the monitor must never store it. */
  secret: string;
  createdAt: string;
}

export interface DeployKeyState {
  id: number;
  title: string;
  key: string;
  readOnly: boolean;
  createdAt: string;
}

export interface WebhookState {
  id: number;
  active: boolean;
  events: string[];
  url: string;
  /** The secret, when one is set: GitHub answers "********" in its place. */
  secret?: string;
  insecureSsl: "0" | "1";
  contentType: "json" | "form";
  createdAt: string;
}

export interface CodeScanningDefaultSetupState {
  state: "configured" | "not-configured";
  languages: string[];
  querySuite: "default" | "extended";
  updatedAt: string | null;
}

/** An organization audit-log event, as GitHub Enterprise Cloud returns it. */
export interface AuditEventState {
  action: string;
  actor: string;
  created_at: number;
  repo?: string;
  branch?: string;
  user?: string;
  permission?: string;
}

/** Per repository: what the later monitoring items read. */
export interface RepositoryItems {
  rulesets: RulesetState[];
  teams: TeamAccessState[];
  dependabotAlerts: DependabotAlertState[];
  codeScanningAlerts: CodeScanningAlertState[];
  secretScanningAlerts: SecretScanningAlertState[];
  deployKeys: DeployKeyState[];
  webhooks: WebhookState[];
  /** undefined: GitHub answers 403 (code scanning not offered for the repository). */
  codeScanningDefaultSetup?: CodeScanningDefaultSetupState;
}

/** Per organization. */
export interface OrganizationItems {
  invitations: InvitationState[];
  installations: AppInstallationState[];
  /** undefined: the plan has no audit-log API (not GitHub Enterprise Cloud): 404. */
  auditLog?: AuditEventState[];
}

/**
 * The settings the later monitoring items read (rulesets with their bypass actors, team access,
 * invitations, installed Apps, code scanning, open alerts, deploy keys, webhooks, the audit log).
 */
export class MonitoringItemsState {
  readonly repositories = new Map<string, RepositoryItems>();
  readonly organizations = new Map<string, OrganizationItems>();

  repository(fullName: string): RepositoryItems {
    const key = fullName.toLowerCase();
    let items = this.repositories.get(key);
    if (!items) {
      items = {
        rulesets: [],
        teams: [],
        dependabotAlerts: [],
        codeScanningAlerts: [],
        secretScanningAlerts: [],
        deployKeys: [],
        webhooks: [],
      };
      this.repositories.set(key, items);
    }
    return items;
  }

  organization(login: string): OrganizationItems {
    const key = login.toLowerCase();
    let items = this.organizations.get(key);
    if (!items) {
      items = { invitations: [], installations: [] };
      this.organizations.set(key, items);
    }
    return items;
  }
}
