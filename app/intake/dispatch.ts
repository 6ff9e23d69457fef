import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { Context, type Logger, type Probot, type ProbotOctokit } from "probot";
import { recordOutcomes } from "../handlers/record.js";
import type { ClaimedDelivery } from "./delivery.js";
import { PermanentFailure } from "./failure.js";
import { payloadProblem } from "./payload-check.js";

type Route = (
  event: string,
  action: string | undefined,
) => ((context: Context) => Promise<void>) | undefined;

/**
 * Handles one queued delivery: checks its payload, finds its handler, authenticates as the
 * installation that sent it, and runs the handler with a Probot Context, as Probot would, but
 * without Probot's dispatch, whose error handler logs whole payloads. Answers a one-line outcome
 * for the queue and the log; throws what the handler threw (the worker decides about retries).
 */
export function createDispatcher(probot: Probot, route: Route, log: Logger) {
  return async (delivery: ClaimedDelivery): Promise<string> => {
    let payload: unknown;
    try {
      payload = JSON.parse(delivery.body);
    } catch {
      throw new PermanentFailure("the body is not JSON", "malformed");
    }
    const problem = payloadProblem(delivery.event, payload);
    if (problem) throw new PermanentFailure(problem, "malformed");
    const action = (payload as { action?: unknown }).action;
    const handler = route(delivery.event, typeof action === "string" ? action : undefined);
    if (!handler) return `ignored: the App records no ${eventName(delivery.event, action)}`;
    const installation = (payload as { installation?: { id?: unknown } }).installation?.id;
    if (typeof installation !== "number")
      throw new PermanentFailure(
        `${delivery.event} payload: installation.id is missing`,
        "malformed",
      );
    // As Probot does for its handlers: an installation client that fetches its token on its first
    // request (handlers that need no API call make none).
    const event = {
      id: delivery.id,
      name: delivery.event,
      payload,
    } as unknown as EmitterWebhookEvent;
    const octokit = (await (
      await probot.auth()
    ).auth({ type: "event-octokit", event })) as ProbotOctokit;
    // The handlers' own lines are details (LOG_LEVEL=debug shows them): the worker logs the one
    // line a delivery gets, with its outcome and record ids.
    const verbose = log.level === "debug" || log.level === "trace";
    const context = new Context(
      event,
      octokit,
      log.child({ deliveryId: delivery.id }, { level: verbose ? log.level : "silent" }),
    );
    await handler(context);
    const results = recordOutcomes(context);
    const written = results.filter((r) => r.status === "written").map((r) => r.recordId);
    const existing = results.filter((r) => r.status === "exists").map((r) => r.recordId);
    const skipped = results.filter((r) => r.status === "skipped").map((r) => r.reason);
    return (
      [
        written.length ? `recorded ${written.join(", ")}` : "",
        existing.length ? `already recorded ${existing.join(", ")}` : "",
        skipped.length ? `nothing to record: ${skipped.join("; ")}` : "",
      ]
        .filter(Boolean)
        .join("; ") || "handled"
    );
  };
}

function eventName(event: string, action: unknown): string {
  return typeof action === "string" ? `${event}.${action}` : event;
}
