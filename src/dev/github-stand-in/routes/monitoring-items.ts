import { HttpError, notFound, unprocessable } from "../http/errors.js";
import { paginate, type Page } from "../http/pagination.js";
import type { Route, RouteRequest } from "../http/router.js";
import {
  codeScanningAlert,
  dependabotAlert,
  deployKey,
  invitation,
  otherInstallation,
  ruleset,
  secretScanningAlert,
  teamWithPermission,
  webhook,
} from "../serialize/monitoring-items.js";
import { installation } from "../serialize/apps.js";
import type { AlertSeverity, AuditEventState } from "../state/monitoring-items.js";
import { intParam, orgOf, repoOf } from "./common.js";

/**
 * A page of a list GitHub pages by cursor (`after`) instead of `page`, as the Dependabot alerts
 * and the audit log do: the Link header's rel="next" carries the cursor of the next item.
 */
function cursorPage<T>(req: RouteRequest, items: readonly T[]): Page<T> {
  const perPage = Math.min(Math.max(Number(req.query.per_page) || 30, 1), 100);
  const after = req.query.after;
  let start = 0;
  if (after !== undefined) {
    const decoded = Number(Buffer.from(after, "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) throw new HttpError(400, "Invalid cursor");
    start = decoded;
  }
  const slice = items.slice(start, start + perPage);
  if (start + perPage >= items.length) return { items: slice, headers: {} };
  const url = new URL(req.url.href);
  url.searchParams.set("after", Buffer.from(String(start + perPage)).toString("base64url"));
  return { items: slice, headers: { link: `<${url.href}>; rel="next"` } };
}

const SEVERITIES: readonly AlertSeverity[] = ["critical", "high", "medium", "low"];

/** A comma-separated filter, e.g. severity=critical,high; absent: everything. */
function listFilter(value: string | undefined): string[] | undefined {
  const parts = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return parts.length > 0 ? parts : undefined;
}

/**
 * The audit log's search phrase, as far as the monitor uses it: `action:<category or action>`
 * terms (any matches) and `created:>=<date>`.
 */
function matchesPhrase(event: AuditEventState, phrase: string): boolean {
  const terms = phrase.split(/\s+/).filter(Boolean);
  const actions = terms.filter((t) => t.startsWith("action:")).map((t) => t.slice(7));
  const since = terms.find((t) => t.startsWith("created:>="))?.slice(10);
  if (
    actions.length > 0 &&
    !actions.some((a) => event.action === a || event.action.startsWith(`${a}.`))
  )
    return false;
  if (since && event.created_at < Date.parse(since)) return false;
  return true;
}

/** Rulesets, team access, invitations, installed Apps, code scanning, alerts, keys, hooks, audit log. */
export const monitoringItemRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/rulesets/{ruleset_id}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const id = intParam(req, "ruleset_id");
      const found = state.settings.items
        .repository(repo.fullName)
        .rulesets.find((r) => r.id === id);
      if (!found) throw notFound();
      return { body: ruleset(req.ctx, repo, found) };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/teams",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const page = paginate(req, state.settings.items.repository(repo.fullName).teams);
      return {
        body: page.items.map((t) => teamWithPermission(req.ctx, repo.owner.login, t)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/invitations",
    handler: (req, state) => {
      const org = orgOf(req.params.org ?? "", state);
      const page = paginate(req, state.settings.items.organization(org.login).invitations);
      return {
        body: page.items.map((i) => invitation(req.ctx, org.login, i)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/installations",
    handler: (req, state) => {
      const org = orgOf(req.params.org ?? "", state);
      const own = [...state.installations.values()]
        .filter((i) => i.account.id === org.id)
        .map((i) => installation(req.ctx, i));
      const others = state.settings.items
        .organization(org.login)
        .installations.map((i) => otherInstallation(req.ctx, org, i));
      const all = [...own, ...others];
      const page = paginate(req, all);
      return {
        body: { total_count: all.length, installations: page.items },
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/code-scanning/default-setup",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const setup = state.settings.items.repository(repo.fullName).codeScanningDefaultSetup;
      if (!setup)
        throw new HttpError(
          403,
          "Code Security must be enabled for this repository to use code scanning.",
        );
      return {
        body: {
          state: setup.state,
          languages: [...setup.languages],
          query_suite: setup.querySuite,
          updated_at: setup.updatedAt,
          schedule: setup.state === "configured" ? "weekly" : null,
        },
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/dependabot/alerts",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const states = listFilter(req.query.state);
      const severities = listFilter(req.query.severity);
      for (const s of severities ?? [])
        if (!(SEVERITIES as readonly string[]).includes(s))
          throw unprocessable("Validation Failed", [{ field: "severity", code: "invalid" }]);
      const chosen = state.settings.items
        .repository(repo.fullName)
        .dependabotAlerts.filter((a) => !states || states.includes(a.state))
        .filter((a) => !severities || severities.includes(a.severity))
        .sort((a, b) => b.number - a.number);
      const page = cursorPage(req, chosen);
      return {
        body: page.items.map((a) => dependabotAlert(req.ctx, repo, a)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/code-scanning/alerts",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const wanted = req.query.state;
      const chosen = state.settings.items
        .repository(repo.fullName)
        .codeScanningAlerts.filter((a) => !wanted || a.state === wanted)
        .sort((a, b) => b.number - a.number);
      const page = paginate(req, chosen);
      return {
        body: page.items.map((a) => codeScanningAlert(req.ctx, repo, a)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/secret-scanning/alerts",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const wanted = listFilter(req.query.state);
      const chosen = state.settings.items
        .repository(repo.fullName)
        .secretScanningAlerts.filter((a) => !wanted || wanted.includes(a.state))
        .sort((a, b) => b.number - a.number);
      const page = paginate(req, chosen);
      return {
        body: page.items.map((a) => secretScanningAlert(req.ctx, repo, a)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/keys",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const page = paginate(req, state.settings.items.repository(repo.fullName).deployKeys);
      return { body: page.items.map((k) => deployKey(req.ctx, repo, k)), headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/hooks",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const page = paginate(req, state.settings.items.repository(repo.fullName).webhooks);
      return { body: page.items.map((h) => webhook(req.ctx, repo, h)), headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/audit-log",
    handler: (req, state) => {
      const org = orgOf(req.params.org ?? "", state);
      const log = state.settings.items.organization(org.login).auditLog;
      // Only GitHub Enterprise Cloud offers the audit-log API; elsewhere GitHub answers 404.
      if (!log) throw notFound();
      const phrase = req.query.phrase ?? "";
      const chosen = log
        .filter((e) => matchesPhrase(e, phrase))
        .sort((a, b) => b.created_at - a.created_at);
      const page = cursorPage(req, chosen);
      return {
        body: page.items.map((e) => ({
          "@timestamp": e.created_at,
          _document_id: `${e.action}-${e.created_at}`,
          org: org.login,
          ...e,
        })),
        headers: page.headers,
      };
    },
  },
];
