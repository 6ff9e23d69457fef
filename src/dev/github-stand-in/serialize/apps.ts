import type { Installation } from "../state/types.js";
import { nodeId, type SerializeContext } from "./context.js";
import { simpleUser } from "./users.js";

/** The registered App as `integration`. */
export function integration(ctx: SerializeContext): Record<string, unknown> {
  const app = ctx.state.app;
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    owner: simpleUser(ctx, app.owner),
    name: app.name,
    description: "SOC 2 evidence recorder (loopback stand-in)",
    external_url: `${ctx.web}/apps/${app.slug}`,
    html_url: `${ctx.web}/apps/${app.slug}`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    permissions: { ...app.permissions },
    events: [...app.events],
    installations_count: ctx.state.installations.size,
  };
}

/**
 * An installation as `installation`: of the registered App, or (with `app`) of another App, as an
 * organization's list of installed Apps shows it.
 */
export function installation(
  ctx: SerializeContext,
  i: Pick<Installation, "id" | "account" | "repositorySelection" | "events" | "createdAt"> & {
    permissions: Record<string, string>;
  },
  app: { id: number; slug: string } = ctx.state.app,
): Record<string, unknown> {
  return {
    id: i.id,
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    account: simpleUser(ctx, i.account),
    repository_selection: i.repositorySelection,
    access_tokens_url: `${ctx.api}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${ctx.api}/installation/repositories`,
    html_url: `${ctx.web}/organizations/${i.account.login}/settings/installations/${i.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: i.account.id,
    target_type: i.account.type === "Organization" ? "Organization" : "User",
    permissions: { ...i.permissions },
    events: [...i.events],
    created_at: i.createdAt,
    updated_at: i.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}
