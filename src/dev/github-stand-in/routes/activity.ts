import { HttpError } from "../http/errors.js";
import type { Route, RouteRequest } from "../http/router.js";
import { activity } from "../serialize/activity.js";
import type { ActivityRecord } from "../state/activity.js";
import { repoOf } from "./common.js";

const TYPES = new Set([
  "push",
  "force_push",
  "branch_creation",
  "branch_deletion",
  "pr_merge",
  "merge_queue_merge",
]);

/**
 * GET /repos/{owner}/{repo}/activity: who changed which ref, newest first, filtered by ref
 * (refs/heads/<b> or <b>), actor and activity_type. Paged by cursor like GitHub (`after`/`before`
 * in the Link header), not by page number.
 */
export const activityRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/activity",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const { ref, actor, activity_type: type, direction = "desc" } = req.query;
      if (type !== undefined && !TYPES.has(type)) throw invalid("activity_type", type);
      if (direction !== "asc" && direction !== "desc") throw invalid("direction", direction);
      const fullRef = ref === undefined || ref.startsWith("refs/") ? ref : `refs/heads/${ref}`;
      const matching = repo.activities
        .filter((a) => fullRef === undefined || a.ref === fullRef)
        .filter((a) => actor === undefined || a.actor.login.toLowerCase() === actor.toLowerCase())
        .filter((a) => type === undefined || a.type === type)
        .sort((a, b) => (direction === "asc" ? 1 : -1) * (a.at.localeCompare(b.at) || a.id - b.id));
      const page = cursorPage(req, matching);
      return { body: page.items.map((a) => activity(req.ctx, a)), headers: page.headers };
    },
  },
];

function invalid(field: string, value: string): HttpError {
  return new HttpError(422, `Invalid value for parameter '${field}': ${JSON.stringify(value)}`);
}

const cursorOf = (a: ActivityRecord) => Buffer.from(`cursor:${a.id}`).toString("base64");

/** A page after (or before) the cursor, with GitHub's cursor Link header. */
function cursorPage(
  req: RouteRequest,
  items: readonly ActivityRecord[],
): { items: ActivityRecord[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(req.query.per_page) || 30, 1), 100);
  const at = (cursor: string | undefined) =>
    cursor === undefined ? -1 : items.findIndex((a) => cursorOf(a) === cursor);
  let start = 0;
  if (req.query.after !== undefined) start = at(req.query.after) + 1;
  else if (req.query.before !== undefined) start = Math.max(0, at(req.query.before) - perPage);
  const slice = items.slice(start, start + perPage);
  const link = (key: "after" | "before", cursor: string, rel: string) => {
    const url = new URL(req.url.href);
    url.searchParams.delete("after");
    url.searchParams.delete("before");
    url.searchParams.set(key, cursor);
    return `<${url.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (start + perPage < items.length && slice.length > 0)
    links.push(link("after", cursorOf(slice.at(-1)!), "next"));
  if (start > 0 && slice.length > 0) links.push(link("before", cursorOf(slice[0]!), "prev"));
  return { items: slice, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}
