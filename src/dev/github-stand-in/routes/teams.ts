import { notFound } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import { simpleUser } from "../serialize/users.js";

/** Team membership. */
export const teamRoutes: Route[] = [
  {
    method: "GET",
    template: "/orgs/{org}/teams/{team_slug}/members",
    handler: (req, state) => {
      const team = state.findTeam(req.params.org ?? "", req.params.team_slug ?? "");
      if (!team) throw notFound();
      const role = req.query.role ?? "all";
      const members =
        role === "member"
          ? team.members
          : role === "maintainer"
            ? team.maintainers
            : [...team.maintainers, ...team.members];
      const page = paginate(req, members);
      return { body: page.items.map((m) => simpleUser(req.ctx, m)), headers: page.headers };
    },
  },
];
