import { MonitoringItemsState } from "./monitoring-items.js";
import type { Account } from "./types.js";

/** An organization's settings and people, as GET /orgs/{org} and its member lists serve them. */
export interface OrganizationSettingsState {
  /** null: GitHub hides it from callers who are not owners. */
  twoFactorRequired: boolean | null;
  defaultRepositoryPermission: "none" | "read" | "write" | "admin" | null;
  owners: Account[];
  members: Account[];
  outsideCollaborators: Account[];
}

export type FeatureStatus = "enabled" | "disabled";

/** A repository's security_and_analysis block; undefined fields are left out, as GitHub does for features the plan lacks. */
export interface RepositorySecurityState {
  secretScanning?: FeatureStatus;
  pushProtection?: FeatureStatus;
  dependabotSecurityUpdates?: FeatureStatus;
}

export type CollaboratorRole = "read" | "triage" | "write" | "maintain" | "admin";

export interface CollaboratorState {
  account: Account;
  role: CollaboratorRole;
  /** An outside collaborator: not a member of the owning organization. */
  outside: boolean;
}

/**
 * The settings continuous monitoring reads (organization settings and people, repository security
 * and collaborators), kept apart from the git and pull-request state they have nothing to do with.
 */
export class SettingsState {
  readonly organizations = new Map<string, OrganizationSettingsState>();
  readonly security = new Map<string, RepositorySecurityState>();
  readonly collaborators = new Map<string, CollaboratorState[]>();
  /** Rulesets, team access, invitations, Apps, alerts, deploy keys, webhooks, the audit log. */
  readonly items = new MonitoringItemsState();

  /** Sets an organization's settings; members include the owners. */
  configureOrganization(
    login: string,
    options: Partial<OrganizationSettingsState>,
  ): OrganizationSettingsState {
    const settings: OrganizationSettingsState = {
      twoFactorRequired: options.twoFactorRequired ?? false,
      defaultRepositoryPermission: options.defaultRepositoryPermission ?? "read",
      owners: options.owners ?? [],
      members: options.members ?? [],
      outsideCollaborators: options.outsideCollaborators ?? [],
    };
    for (const owner of settings.owners)
      if (!settings.members.some((m) => m.id === owner.id)) settings.members.push(owner);
    this.organizations.set(login.toLowerCase(), settings);
    return settings;
  }

  organization(login: string): OrganizationSettingsState | undefined {
    return this.organizations.get(login.toLowerCase());
  }

  setSecurity(fullName: string, security: RepositorySecurityState): void {
    this.security.set(fullName.toLowerCase(), security);
  }

  addCollaborator(fullName: string, collaborator: CollaboratorState): void {
    const key = fullName.toLowerCase();
    this.collaborators.set(key, [...(this.collaborators.get(key) ?? []), collaborator]);
  }
}
