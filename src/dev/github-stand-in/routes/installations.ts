import { HttpError } from "../http/errors.js";
import { paginate } from "../http/pagination.js";
import type { Route } from "../http/router.js";
import type { SerializeContext } from "../serialize/context.js";
import type { Installation } from "../state/types.js";
import { installation } from "../serialize/apps.js";
import { serializeRepository } from "../serialize/repositories.js";

/**
 * What an App finds out about where it is installed: its installations (with the App's JWT) and
 * the repositories one installation covers (with that installation's token), as GitHub pages them.
 */
export const installationRoutes: Route[] = [
  {
    method: "GET",
    template: "/app/installations",
    handler: (req, state) => {
      if (req.auth?.kind !== "app-jwt")
        throw new HttpError(
          401,
          "A JSON web token could not be decoded: authenticate as the App (a JWT signed with its private key)",
        );
      const page = paginate(req, [...state.installations.values()]);
      return { body: page.items.map((i) => listed(req.ctx, i)), headers: page.headers };
    },
  },
  {
    method: "GET",
    template: "/installation/repositories",
    handler: (req, state) => {
      const found =
        req.auth?.installationId === undefined
          ? undefined
          : state.installations.get(req.auth.installationId);
      if (!found)
        throw new HttpError(
          403,
          "This endpoint can only be accessed with an installation access token",
        );
      const covered = [...state.repositories.values()].filter(
        (repo) => state.installationFor(repo)?.id === found.id,
      );
      const page = paginate(req, covered);
      return {
        body: {
          total_count: covered.length,
          repository_selection: found.repositorySelection,
          repositories: page.items.map((repo) => serializeRepository(req.ctx, repo)),
        },
        headers: page.headers,
      };
    },
  },
];

/**
 * An installation as GET /app/installations lists it. GitHub's OpenAPI description types this
 * listing's account as all of simple-user and enterprise (the single installation's as either),
 * so the account also carries the enterprise fields it requires, with the account's own values.
 */
function listed(ctx: SerializeContext, i: Installation): Record<string, unknown> {
  const body = installation(ctx, i);
  const account = body.account as Record<string, unknown>;
  return {
    ...body,
    account: {
      ...account,
      name: i.account.name ?? i.account.login,
      slug: i.account.login.toLowerCase(),
      created_at: i.createdAt,
      updated_at: i.createdAt,
    },
  };
}
