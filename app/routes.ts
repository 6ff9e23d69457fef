import type { Context } from "probot";
import type { AppDependencies } from "./dependencies.js";
import { onPullRequestClosed } from "./handlers/pull-request-closed.js";
import { onPullRequestEvent } from "./handlers/pull-request.js";
import { onReview } from "./handlers/pull-request-review.js";
import { onPush } from "./handlers/push.js";
import { guarded } from "./handlers/record.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler takes its own event's context
type Handler = (context: any) => Promise<void>;

/** Which webhook (event.action, or event) goes to which handler: the App's whole routing. */
export const ROUTES: ReadonlyArray<{
  events: string[];
  handler: (deps: AppDependencies) => Handler;
}> = [
  {
    events: [
      "pull_request_review.submitted",
      "pull_request_review.edited",
      "pull_request_review.dismissed",
    ],
    handler: onReview,
  },
  {
    events: [
      "pull_request.opened",
      "pull_request.reopened",
      "pull_request.synchronize",
      "pull_request.edited",
      "pull_request.ready_for_review",
    ],
    handler: onPullRequestEvent,
  },
  { events: ["pull_request.closed"], handler: onPullRequestClosed },
  { events: ["push"], handler: onPush },
];

/** The guarded handler for an event and action, or undefined when the App does not record it. */
export function routeTable(
  deps: AppDependencies,
): (event: string, action: string | undefined) => Handler | undefined {
  const table = new Map<string, Handler>();
  for (const route of ROUTES) {
    const handler = guarded(route.handler(deps), deps.now) as (context: Context) => Promise<void>;
    for (const name of route.events) table.set(name, handler);
  }
  return (event, action) => table.get(action ? `${event}.${action}` : event) ?? table.get(event);
}
