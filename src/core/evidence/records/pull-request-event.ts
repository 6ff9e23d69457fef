import { redact } from "../redact.js";
import { envelope, type RecordContext } from "./envelope.js";
import { pullRequestEventId } from "./ids.js";
import { accountOf, isoTime, obj, repositoryOf, shaOf, str } from "./payload.js";
import type { Built } from "./review-event.js";

/** What a synchronize event's push did, as the App found out (the payload does not say if it was forced). */
export interface PushFacts {
  /** True: the old head is not an ancestor of the new one (force-push or rebase). null: unknown, left out of the record. */
  forced: boolean | null;
}

const ACTIONS = new Set(["opened", "reopened", "synchronize", "edited", "ready_for_review"]);

/**
 * A pull-request-event record from a pull_request webhook: opened, reopened, pushed to
 * (synchronize, with the old and new head and whether the push rewrote history), retargeted to
 * another base branch (edited with changes.base, recorded as base_changed, from and to) and ready
 * for review.
 * These are what make a later approval stale, so the auditor sees them in order.
 */
export function buildPullRequestEvent(
  payload: unknown,
  context: RecordContext,
  push?: PushFacts,
): Built {
  const p = obj(payload);
  const received = str(p.action);
  if (!ACTIONS.has(received)) return { skip: `pull_request.${received} is not recorded` };
  const baseChange = obj(obj(p.changes).base);
  if (received === "edited" && Object.keys(baseChange).length === 0)
    return { skip: "pull_request.edited without a base change (title or body only) is not recorded" };
  const action = received === "edited" ? "base_changed" : received;

  const pr = obj(p.pull_request);
  const repository = repositoryOf(p);
  const number = typeof pr.number === "number" ? pr.number : 0;
  const author = accountOf(pr.user);
  const actor = accountOf(p.sender);
  const occurredAt = isoTime(pr.updated_at) ?? isoTime(pr.created_at);
  if (!repository.id || !number || !occurredAt || !actor)
    return { skip: "the payload lacks the repository, the pull request, its times or the sender" };
  const base = obj(pr.base);
  const head = obj(pr.head);
  const baseRef = redact(str(base.ref));

  const content: Record<string, unknown> = {
    repository,
    pull_request: {
      number,
      ...(str(pr.html_url) ? { url: str(pr.html_url) } : {}),
      title: redact(str(pr.title)),
      ...(author ? { author } : {}),
      ...optionalSha("head_sha", head.sha),
      ...(baseRef ? { base_ref: baseRef } : {}),
      head_ref: redact(str(head.ref)),
    },
    action,
    actor,
    occurred_at: occurredAt,
  };
  if (action === "synchronize") {
    const after = shaOf(p.after) ?? shaOf(head.sha);
    if (!after) return { skip: "the synchronize payload has no new head commit" };
    Object.assign(content, {
      ...optionalSha("before", p.before),
      after,
      ...(typeof push?.forced === "boolean" ? { forced: push.forced } : {}),
    });
  }
  if (action === "base_changed") {
    const from = redact(str(obj(baseChange.ref).from));
    if (!from || !baseRef) return { skip: "the edited payload does not name both base branches" };
    content.base_change = { from, to: baseRef };
  }
  const id = pullRequestEventId(repository.full_name, number, occurredAt, action, context.deliveryId);
  return { record: envelope(context, "pull-request-event", id, received, content) };
}

function optionalSha(key: string, value: unknown): Record<string, string> {
  const sha = shaOf(value);
  return sha ? { [key]: sha } : {};
}
