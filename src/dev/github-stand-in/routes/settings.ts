import { unprocessable } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import { collaborator, organizationFull, shortBranch } from "../serialize/settings.js";
import { simpleUser } from "../serialize/users.js";
import { orgOf, repoOf } from "./common.js";

/** Organization settings, members, branches and collaborators: what continuous monitoring reads. */
export const settingsRoutes: Route[] = [
  {
    method: "GET",
    template: "/orgs/{org}",
    handler: (req, state) => {
      const org = orgOf(req.params.org ?? "", state);
      return {
        body: organizationFull(req.ctx, org, state.settings.organization(org.login)),
      };
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/members",
    handler: (req, state) => {
      const org = orgOf(req.params.org ?? "", state);
      const settings = state.settings.organization(org.login);
      const role = req.query.role ?? "all";
      if (!["all", "admin", "member"].includes(role))
        throw unprocessable("Validation Failed", [
          { resource: "Organization", field: "role", code: "invalid" },
        ]);
      const owners = settings?.owners ?? [];
      const members = (settings?.members ?? []).filter((m) =>
        role === "all" ? true : (role === "admin") === owners.some((o) => o.id === m.id),
      );
      const page = paginate(req, members);
      return { body: page.items.map((m) => simpleUser(req.ctx, m)), headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/outside_collaborators",
    handler: (req, state) => {
      const org = orgOf(req.params.org ?? "", state);
      const page = paginate(
        req,
        state.settings.organization(org.login)?.outsideCollaborators ?? [],
      );
      return { body: page.items.map((m) => simpleUser(req.ctx, m)), headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/branches",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const branches = [...repo.git.refs]
        .filter(([ref]) => ref.startsWith("refs/heads/"))
        .map(([ref, sha]) => {
          const name = ref.slice("refs/heads/".length);
          const isProtected = repo.protections.has(name) || (repo.rules.get(name) ?? []).length > 0;
          return { name, sha, isProtected };
        })
        .filter((b) => req.query.protected !== "true" || b.isProtected)
        .sort((a, b) => a.name.localeCompare(b.name));
      const page = paginate(req, branches);
      return {
        body: page.items.map((b) => shortBranch(req.ctx, repo, b.name, b.sha, b.isProtected)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/collaborators",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const affiliation = req.query.affiliation ?? "all";
      const all = state.settings.collaborators.get(repo.fullName.toLowerCase()) ?? [];
      // "direct" and "all" differ only by team access, which the stand-in does not model.
      const chosen = affiliation === "outside" ? all.filter((c) => c.outside) : all;
      const page = paginate(req, chosen);
      return { body: page.items.map((c) => collaborator(req.ctx, c)), headers: page.headers };
    },
  },
];
