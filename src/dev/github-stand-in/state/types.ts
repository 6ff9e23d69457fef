import type { GitSignature } from "../git/objects.js";

/** A GitHub account. Identities are keyed by numeric `id`, never by login alone. */
export interface Account {
  id: number;
  login: string;
  type: "User" | "Bot" | "Organization";
  name: string | null;
  email: string | null;
  siteAdmin: boolean;
}

/** A git identity that may or may not map to an account (by email, as GitHub maps it). */
export interface GitPerson {
  name: string;
  email: string;
}

/** Who authored or committed something: an account, or a bare git identity. */
export type Person = Account | GitPerson;

export const isAccount = (p: Person): p is Account => "login" in p && "id" in p;

/** A label on a pull request. */
export interface Label {
  id: number;
  name: string;
  color: string;
  description: string;
}

/** A GitHub App installation. */
export interface Installation {
  id: number;
  account: Account;
  repositorySelection: "all" | "selected";
  /** Full names of the repositories a "selected" installation covers. */
  repositories: string[];
  permissions: Record<string, "read" | "write">;
  events: string[];
  createdAt: string;
}

/** The GitHub App the stand-in pretends to be registered. */
export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  owner: Account;
  permissions: Record<string, "read" | "write">;
  events: string[];
}

/** A team of an organization. */
export interface Team {
  id: number;
  org: string;
  slug: string;
  name: string;
  members: Account[];
  maintainers: Account[];
}

/** An installation token the stand-in issued; only its fingerprint is kept. */
export interface IssuedToken {
  fingerprint: string;
  installationId: number;
  expiresAt: string;
}

/** A check run on a commit. */
export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion:
    | "success"
    | "failure"
    | "neutral"
    | "cancelled"
    | "skipped"
    | "timed_out"
    | "action_required"
    | null;
  startedAt: string;
  completedAt: string | null;
  app: { id: number; slug: string; name: string };
  detailsUrl: string | null;
  title: string | null;
  summary: string | null;
}

/** A commit status (the older statuses API). */
export interface StatusRecord {
  id: number;
  sha: string;
  context: string;
  state: "error" | "failure" | "pending" | "success";
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
}

/** Classic branch protection settings, the fields the Action reads. */
export interface BranchProtectionConfig {
  requiredApprovingReviewCount?: number;
  dismissStaleReviews?: boolean;
  requireCodeOwnerReviews?: boolean;
  requireLastPushApproval?: boolean;
  requiredStatusChecks?: string[];
  strictStatusChecks?: boolean;
  enforceAdmins?: boolean;
  requiredLinearHistory?: boolean;
  allowForcePushes?: boolean;
}

/** A git signature with an optional date, for builder input. */
export type SignatureInput = GitPerson & { date?: string };
export type { GitSignature };
