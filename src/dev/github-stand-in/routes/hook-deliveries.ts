import { HttpError, notFound } from "../http/errors.js";
import type { Route, RouteRequest } from "../http/router.js";
import type { HookAttempt } from "../hooks/deliveries.js";
import { intParam } from "./common.js";

/** These endpoints take the App's JWT only, as GitHub's do. */
function requireAppJwt(req: RouteRequest): void {
  if (req.auth?.kind !== "app-jwt")
    throw new HttpError(
      401,
      "A JSON web token could not be decoded: authenticate as the App (JWT) to use this endpoint",
    );
}

const item = (a: HookAttempt) => ({
  id: a.id,
  guid: a.guid,
  delivered_at: a.deliveredAt,
  redelivery: a.redelivery,
  duration: a.duration,
  status: a.status,
  status_code: a.statusCode,
  event: a.event,
  action: a.action,
  installation_id: a.installationId,
  repository_id: a.repositoryId,
  throttled_at: null,
});

const cursorOf = (a: HookAttempt) => `v1_${a.id}`;

/**
 * The App's webhook deliveries: newest first, paged by `cursor` (the Link header's rel="next"
 * names the first attempt of the next page), filtered by `status` (success: 200–399; failure:
 * 400–599, so an App GitHub could not reach, status code 0, is in neither); and redelivery.
 */
export const hookDeliveryRoutes: Route[] = [
  {
    method: "GET",
    template: "/app/hook/deliveries",
    handler: (req, state) => {
      requireAppJwt(req);
      const { status, cursor } = req.query;
      if (status !== undefined && status !== "success" && status !== "failure")
        throw new HttpError(400, `Invalid value for parameter 'status': ${JSON.stringify(status)}`);
      const perPage = Math.min(Math.max(Number(req.query.per_page) || 30, 1), 100);
      const matching = [...state.hooks.attempts]
        .reverse()
        .filter(
          (a) =>
            status === undefined ||
            (status === "success"
              ? a.statusCode >= 200 && a.statusCode < 400
              : a.statusCode >= 400 && a.statusCode < 600),
        );
      let start = 0;
      if (cursor !== undefined) {
        start = matching.findIndex((a) => cursorOf(a) === cursor);
        if (start < 0) throw new HttpError(400, "Invalid cursor");
      }
      const page = matching.slice(start, start + perPage);
      const next = matching[start + perPage];
      const headers: Record<string, string> = {};
      if (next) {
        const url = new URL(req.url.href);
        url.searchParams.set("cursor", cursorOf(next));
        headers.link = `<${url.href}>; rel="next"`;
      }
      return { body: page.map(item), headers };
    },
  },
  {
    method: "POST",
    template: "/app/hook/deliveries/{delivery_id}/attempts",
    handler: (req, state) => {
      requireAppJwt(req);
      // GitHub answers at once and redelivers in the background.
      const redelivering = state.hooks.redeliver(intParam(req, "delivery_id"));
      if (!redelivering) throw notFound();
      redelivering.catch(() => {});
      return { status: 202, body: {} };
    },
  },
];
