import type { Context } from "probot";
import { redact } from "../../src/core/evidence/redact.js";
import type { RecordContext } from "../../src/core/evidence/records/envelope.js";
import type { Built } from "../../src/core/evidence/records/review-event.js";
import type { AppDependencies } from "../dependencies.js";
import { classifyFailure, type FailureClass } from "../intake/failure.js";

/**
 * A delivery the App could not record, already logged. It carries no HTTP status, so Probot
 * answers 500 (a GitHub or store error's own 404 or 409 would read as a problem with the webhook
 * URL) and GitHub marks the delivery failed, ready to be redelivered.
 */
export class RecordingError extends Error {
  override name = "RecordingError";
  /** Read by the worker (app/intake/failure.ts): never retried when true. */
  readonly permanent: boolean;
  /** Not retried sooner: GitHub's Retry-After, or its rate-limit reset. */
  readonly retryAfterMs?: number;
  readonly reason: string;
  constructor(message: string, failure: FailureClass = { permanent: false, reason: "error" }) {
    super(message);
    this.permanent = failure.permanent;
    this.reason = failure.reason;
    if (failure.waitMs !== undefined) this.retryAfterMs = failure.waitMs;
  }
}

/** What handling one delivery recorded, for its log line and its place in the queue. */
export interface RecordOutcome {
  recordId?: string;
  status: "written" | "exists" | "skipped";
  reason?: string;
}

const outcomes = new WeakMap<object, RecordOutcome[]>();

/** The records a delivery's handler wrote or found (filled in by `append`). */
export function recordOutcomes(context: Context): RecordOutcome[] {
  let list = outcomes.get(context);
  if (!list) outcomes.set(context, (list = []));
  return list;
}

/**
 * Wraps a handler: any failure (the GitHub API while collecting facts, the store) is logged once
 * with the delivery id and answered with 500.
 */
export function guarded<C extends Context>(
  handler: (context: C) => Promise<void>,
  now: () => Date,
) {
  return async (context: C): Promise<void> => {
    try {
      await handler(context);
    } catch (error) {
      if (error instanceof RecordingError) throw error;
      const delivery = deliveryOf(context);
      const message = firstLine(error);
      context.log.error(
        { ...delivery, status: "failed", error: message },
        "soc2: the delivery could not be recorded: it is answered with an error so that GitHub can redeliver it",
      );
      // No `cause`: Probot logs an error with its causes' messages and stacks, unredacted. What
      // the worker needs of the cause (retry or not, and when) is kept as plain fields.
      throw new RecordingError(
        `could not record delivery ${delivery.deliveryId}: ${message}`,
        classifyFailure(error, now()),
      );
    }
  };
}

/** The record context of a delivery: its id (which makes record ids idempotent), event and time. */
export function recordContext(deps: AppDependencies, context: Context): RecordContext {
  return {
    deliveryId: context.id,
    event: context.name,
    recordedAt: deps.now(),
    controls: deps.config.controls,
    sourceName: deps.sourceName,
  };
}

/** What a log line says about a delivery: never a token, a key or a payload. */
export function deliveryOf(context: Context): { deliveryId: string; event: string } {
  const action = (context.payload as { action?: unknown }).action;
  return {
    deliveryId: context.id,
    event: typeof action === "string" ? `${context.name}.${action}` : context.name,
  };
}

/**
 * Appends a record through the evidence store and logs the outcome with the delivery id. A store
 * failure is logged and rethrown (as a RecordingError, whose message names no secret), so Probot
 * answers 500 and GitHub shows the delivery as failed, ready to be redelivered.
 */
export async function append(deps: AppDependencies, context: Context, built: Built): Promise<void> {
  const delivery = deliveryOf(context);
  if ("skip" in built) {
    recordOutcomes(context).push({ status: "skipped", reason: built.skip });
    context.log.info(
      { ...delivery, status: "skipped", reason: built.skip },
      "soc2: nothing to record",
    );
    return;
  }
  const recordId = built.record.id;
  let result;
  try {
    result = await deps.store.append(built.record);
  } catch (error) {
    const message = firstLine(error);
    context.log.error(
      { ...delivery, recordId, status: "failed", error: message },
      "soc2: the evidence store failed: the delivery is answered with an error so that GitHub can redeliver it",
    );
    throw new RecordingError(
      `could not record ${recordId} (delivery ${delivery.deliveryId}): ${message}`,
      classifyFailure(error, deps.now()),
    );
  }
  recordOutcomes(context).push({ recordId, status: result.status });
  context.log.info(
    { ...delivery, recordId, status: result.status, path: result.path, commit: result.commit },
    result.status === "written" ? "soc2: record written" : "soc2: record already stored",
  );
}

/** The first line of an error's message, with anything token-like redacted: safe to log and answer. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redact(message.split("\n")[0] ?? "");
}
