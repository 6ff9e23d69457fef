import type { Account, MergeGroup, PullRequestFacts } from "./facts.js";
import { asObject as obj, textOf as str } from "../json-read.js";

/** What a GitHub event says about the pull request to check. */
export interface PullRequestTarget {
  event: PullRequestFacts["event"];
  number: number;
  baseSha: string;
  baseRef: string;
  /** Who pushed the head, when the event tells (a push to the pull request: synchronize). */
  lastPusher: Account | null;
  /** The head SHA as a pull request event saw it: what lastPusher pushed. */
  headSha?: string;
  mergeGroup?: MergeGroup;
}

// A merge queue names its branch gh-readonly-queue/<base>/pr-<number>-<sha>.
const QUEUE_REF = /^(?:refs\/heads\/)?gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]{40}$/;
// Only a synchronize is a push. The sender of opened or reopened is whoever opened the pull
// request, who need not have pushed its head (B pushes the branch, A opens the pull request).
const PUSHER_ACTIONS = new Set(["synchronize"]);

/**
 * Reads the pull request a webhook event is about, or explains why the event has none (the
 * reason is shown to the user, e.g. "push events carry no pull request").
 */
export function pullRequestTarget(
  eventName: string,
  payload: unknown,
): PullRequestTarget | { skip: string } {
  const p = obj(payload);
  if (
    eventName === "pull_request" ||
    eventName === "pull_request_target" ||
    eventName === "pull_request_review"
  ) {
    const pr = obj(p.pull_request);
    const base = obj(pr.base);
    if (typeof pr.number !== "number")
      return { skip: `the ${eventName} event has no pull request in its payload` };
    const sender = obj(p.sender);
    const pushed =
      eventName !== "pull_request_review" &&
      PUSHER_ACTIONS.has(str(p.action)) &&
      typeof sender.id === "number";
    return {
      event: eventName === "pull_request_review" ? "pull_request_review" : "pull_request",
      number: pr.number,
      baseSha: str(base.sha),
      baseRef: str(base.ref),
      headSha: str(obj(pr.head).sha),
      lastPusher: pushed
        ? {
            id: sender.id as number,
            login: str(sender.login),
            type: sender.type === "Bot" ? "Bot" : "User",
          }
        : null,
    };
  }
  if (eventName === "merge_group") {
    const group = obj(p.merge_group);
    const number = QUEUE_REF.exec(str(group.head_ref))?.[1];
    if (!number)
      return { skip: `cannot tell the pull request of merge queue branch ${str(group.head_ref)}` };
    const baseRef = str(group.base_ref).replace(/^refs\/heads\//, "");
    return {
      event: "merge_group",
      number: Number(number),
      baseSha: str(group.base_sha),
      baseRef,
      lastPusher: null,
      mergeGroup: {
        head_sha: str(group.head_sha),
        head_ref: str(group.head_ref),
        base_sha: str(group.base_sha),
        base_ref: baseRef,
      },
    };
  }
  return {
    skip: `${eventName} events carry no pull request: run this Action on pull_request, pull_request_review and merge_group`,
  };
}
