import type { NotAvailable } from "../../../core/monitoring/index.js";
import { redact } from "../../../core/evidence/redact.js";
import type { RetryOptions } from "../../evidence/retry.js";
import { GitHubApiError, statusOf, type GitHubClient } from "../client.js";
import { retryingClient } from "../retrying-client.js";

/** Reads one part of a settings snapshot, retrying what GitHub asks to retry. */
export interface PartReader {
  /** One object; a 403 or 404 (plan, permission) becomes `{ not_available }`, `on404` aside. */
  get<T>(
    route: string,
    parameters: Record<string, unknown>,
    shape: (data: unknown) => T,
    options?: { on404?: (message: string) => T | undefined },
  ): Promise<T | NotAvailable>;
  /** Every page of a list, the same way. */
  list<T>(
    route: string,
    parameters: Record<string, unknown>,
    shape: (item: unknown) => T,
  ): Promise<T[] | NotAvailable>;
}

/**
 * What each endpoint needs, for the note recorded when GitHub refuses it: an operator reads in
 * the snapshot which permission (or plan) would fill the gap. See docs/monitoring.md.
 */
export const NEEDS: Record<string, string> = {
  "GET /orgs/{org}":
    "organization Administration: read (GitHub shows the two-factor requirement and base permissions only to owners)",
  "GET /orgs/{org}/members": "organization Members: read",
  "GET /orgs/{org}/outside_collaborators": "organization Members: read",
  "GET /repos/{owner}/{repo}":
    "repository Metadata: read; security_and_analysis needs repository Administration: read",
  "GET /repos/{owner}/{repo}/branches": "repository Metadata: read",
  "GET /repos/{owner}/{repo}/branches/{branch}/protection":
    "repository Administration: read, and a plan with branch protection for private repositories (GitHub Pro, Team or Enterprise)",
  "GET /repos/{owner}/{repo}/rules/branches/{branch}":
    "repository Metadata: read, and a plan with rulesets for private repositories",
  "GET /repos/{owner}/{repo}/collaborators":
    "repository Metadata: read (the App), or push access (a token)",
  "GET /repos/{owner}/{repo}/teams": "repository Metadata: read",
  "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}":
    "repository Metadata: read; its bypass actors need repository Administration: read",
  "GET /orgs/{org}/invitations": "organization Members: read (GitHub lists invitations to owners)",
  "GET /orgs/{org}/installations": "organization Administration: read",
  "GET /repos/{owner}/{repo}/code-scanning/default-setup":
    "repository Administration: read, and code scanning offered for the repository (public, or GitHub Code Security)",
  "GET /repos/{owner}/{repo}/dependabot/alerts":
    "repository Dependabot alerts: read, and Dependabot alerts enabled",
  "GET /repos/{owner}/{repo}/code-scanning/alerts":
    "repository Code scanning alerts: read, and code scanning set up (public, or GitHub Code Security)",
  "GET /repos/{owner}/{repo}/secret-scanning/alerts":
    "repository Secret scanning alerts: read, and secret scanning enabled (public, or GitHub Secret Protection)",
  "GET /repos/{owner}/{repo}/keys": "repository Administration: read",
  "GET /repos/{owner}/{repo}/hooks": "repository Webhooks: read",
  "GET /orgs/{org}/audit-log":
    "organization Administration: read (a token: read:audit_log), and GitHub Enterprise Cloud: the audit-log API is not available on other plans",
};

export function partReader(github: GitHubClient, options: RetryOptions = {}): PartReader {
  // Rate limits waited out as GitHub asks, server errors backed off: as every read of GitHub's.
  const client = retryingClient(github, options);
  const refused = (
    route: string,
    parameters: Record<string, unknown>,
    error: unknown,
  ): NotAvailable => {
    const status = statusOf(error);
    const message = firstLine(error);
    const needs = NEEDS[route];
    return {
      not_available: redact(
        `HTTP ${status} from ${expand(route, parameters)}: ${message}${needs ? `; needs ${needs}` : ""}`,
      ),
    };
  };
  return {
    async get(route, parameters, shape, extra = {}) {
      try {
        const answer = await client.request(route, parameters);
        return shape(answer.data);
      } catch (error) {
        const status = statusOf(error);
        if (status === 404 && extra.on404) {
          const value = extra.on404(firstLine(error));
          if (value !== undefined) return value;
        }
        if (status === 403 || status === 404) return refused(route, parameters, error);
        throw new GitHubApiError(`reading ${expand(route, parameters)}`, status, { cause: error });
      }
    },
    async list(route, parameters, shape) {
      try {
        const items = await client.paginate(route, { ...parameters, per_page: 100 });
        return items.map(shape);
      } catch (error) {
        const status = statusOf(error);
        if (status === 403 || status === 404) return refused(route, parameters, error);
        throw new GitHubApiError(`reading ${expand(route, parameters)}`, status, { cause: error });
      }
    },
  };
}

/** The route with its path parameters filled in, for messages. */
function expand(route: string, parameters: Record<string, unknown>): string {
  return route.replace(/\{(\w+)\}/g, (whole, name: string) =>
    parameters[name] === undefined ? whole : String(parameters[name]),
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split("\n")[0] ?? "").replace(/ - https:\/\/docs\.github\.com\S*$/, "");
}
