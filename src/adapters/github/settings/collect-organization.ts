import { asObject, asString } from "../../../core/json-read.js";
import type { AccountRef, OrganizationSettings } from "../../../core/monitoring/index.js";
import { collectOrganizationItems } from "./collect-items.js";
import type { PartReader } from "./read-part.js";

/** An account as the snapshot keeps it: login and the numeric id that survives a rename. */
export function accountRef(value: unknown): AccountRef {
  const v = asObject(value);
  return { login: asString(v.login) ?? "", id: typeof v.id === "number" ? v.id : 0 };
}

const byLogin = (a: { login: string }, b: { login: string }) => a.login.localeCompare(b.login);

/**
 * An organization's settings: two-factor requirement and base permission, owners, members and
 * outside collaborators. Lists are sorted, so that the same people always give the same snapshot
 * (and an unchanged snapshot is recognised by its digest). With `auditLogSince`, also pending
 * invitations, installed Apps and the audit log's events of interest since then.
 */
export async function collectOrganizationSettings(
  read: PartReader,
  org: string,
  options: { auditLogSince?: string } = {},
): Promise<OrganizationSettings> {
  const [organization, owners, members, outside, items] = await Promise.all([
    read.get("GET /orgs/{org}", { org }, (data) => {
      const o = asObject(data);
      return {
        login: asString(o.login) ?? org,
        id: typeof o.id === "number" ? o.id : 0,
        two_factor_requirement_enabled:
          typeof o.two_factor_requirement_enabled === "boolean"
            ? o.two_factor_requirement_enabled
            : null,
        default_repository_permission: asString(o.default_repository_permission) ?? null,
      };
    }),
    read.list("GET /orgs/{org}/members", { org, role: "admin" }, accountRef),
    read.list("GET /orgs/{org}/members", { org, role: "all" }, accountRef),
    read.list("GET /orgs/{org}/outside_collaborators", { org }, accountRef),
    options.auditLogSince
      ? collectOrganizationItems(read, org, { auditLogSince: options.auditLogSince })
      : {},
  ]);
  const sorted = <T extends { login: string }>(list: T[] | { not_available: string }) =>
    Array.isArray(list) ? [...list].sort(byLogin) : list;
  return {
    organization,
    owners: sorted(owners),
    members: sorted(members),
    outside_collaborators: sorted(outside),
    ...items,
  };
}
