import type { Account } from "../state/types.js";
import { nodeId, type SerializeContext } from "./context.js";

/** An account as GitHub's `simple-user` (also valid as `team-member`). */
export function simpleUser(ctx: SerializeContext, account: Account): Record<string, unknown> {
  const url = `${ctx.api}/users/${encodeURIComponent(account.login)}`;
  const app = account.login.replace(/\[bot\]$/, "");
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type === "Bot" ? "Bot" : "User", account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: "",
    url,
    html_url: account.type === "Bot" ? `${ctx.web}/apps/${app}` : `${ctx.web}/${account.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: account.siteAdmin,
  };
}

/** An account by id, or null when the id maps to no account (an unattributed commit). */
export function userOrNull(
  ctx: SerializeContext,
  id: number | null,
): Record<string, unknown> | null {
  const account = id === null ? undefined : ctx.state.accounts.get(id);
  return account ? simpleUser(ctx, account) : null;
}
