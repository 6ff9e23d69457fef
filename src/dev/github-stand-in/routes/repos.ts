import { notFound } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import { branchProtection } from "../serialize/branches.js";
import { restCommit } from "../serialize/commits.js";
import { serializeRepository } from "../serialize/repositories.js";
import { securityAndAnalysis } from "../serialize/settings.js";
import { repoOf } from "./common.js";

/** Repositories, branches, branch protection and branch rules. */
export const repoRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = serializeRepository(req.ctx, repo);
      body.permissions = { admin: false, maintain: false, push: false, triage: false, pull: true };
      const security = state.settings.security.get(repo.fullName.toLowerCase());
      if (security) body.security_and_analysis = securityAndAnalysis(security);
      return { body };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/branches/{branch}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const branch = req.params.branch as string;
      const sha = repo.branchSha(branch);
      const commit = sha ? repo.git.commits.get(sha) : undefined;
      if (!commit) throw notFound("Branch not found");
      const config = repo.protections.get(branch);
      const url = `${req.ctx.api}/repos/${repo.fullName}/branches/${encodeURIComponent(branch)}`;
      const protection = config
        ? branchProtection(req.ctx, repo, branch, config)
        : {
            enabled: false,
            required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
          };
      return {
        body: {
          name: branch,
          commit: restCommit(req.ctx, repo, commit),
          _links: { self: url, html: `${req.ctx.web}/${repo.fullName}/tree/${branch}` },
          protected: config !== undefined,
          protection,
          protection_url: `${url}/protection`,
        },
      };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/branches/{branch}/protection",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const branch = req.params.branch as string;
      if (!repo.branchSha(branch)) throw notFound("Branch not found");
      const config = repo.protections.get(branch);
      if (!config) throw notFound("Branch not protected");
      return { body: branchProtection(req.ctx, repo, branch, config) };
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/rules/branches/{branch}",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const rules = (repo.rules.get(req.params.branch as string) ?? []).map((rule) => ({
        ruleset_source_type: "Repository",
        ruleset_source: repo.fullName,
        ruleset_id: 1,
        ...rule,
      }));
      const page = paginate(req, rules);
      return { body: page.items, headers: page.headers };
    },
  },
];
