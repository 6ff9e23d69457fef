// Who pushed the head, from the head branch's activity (GitHub's repository activity API).
import { describe, expect, it } from "vitest";
import {
  pusherFromActivity,
  type RefActivity,
} from "../../../src/core/change-management/last-pusher.js";
import { pullRequestTarget } from "../../../src/core/change-management/event-target.js";
import { alice, bob, carol, dave, HEAD, sha } from "./builder.js";

const BRANCH = "alice/rate-limit";
const entry = (
  actor: RefActivity["actor"],
  after: string,
  timestamp: string,
  options: { type?: string; ref?: string } = {},
): RefActivity => ({
  ref: options.ref ?? `refs/heads/${BRANCH}`,
  after,
  activity_type: options.type ?? "push",
  timestamp,
  actor,
});

const cases: Array<{ name: string; activities: RefActivity[]; pusher: string | null }> = [
  {
    name: "B pushes the head (authored as A) onto A's branch: B is the pusher",
    activities: [
      entry(bob, HEAD, "2026-05-01T10:00:00Z"),
      entry(alice, sha("first"), "2026-05-01T09:00:00Z", { type: "branch_creation" }),
    ],
    pusher: "bob",
  },
  {
    name: "the branch created at the head (its first push) counts",
    activities: [entry(alice, HEAD, "2026-05-01T09:00:00Z", { type: "branch_creation" })],
    pusher: "alice",
  },
  {
    name: "force-pushed away and back: the newest push of the head wins",
    activities: [
      entry(dave, HEAD, "2026-05-01T11:00:00Z", { type: "force_push" }),
      entry(carol, sha("other"), "2026-05-01T10:30:00Z", { type: "force_push" }),
      entry(bob, HEAD, "2026-05-01T10:00:00Z"),
    ],
    pusher: "dave",
  },
  {
    name: "order comes from the timestamps, not from the order of the list",
    activities: [
      entry(bob, HEAD, "2026-05-01T10:00:00Z"),
      entry(dave, HEAD, "2026-05-01T11:00:00Z", { type: "force_push" }),
    ],
    pusher: "dave",
  },
  {
    name: "the head SHA also pushed to the base branch: only the head branch's push counts",
    activities: [
      entry(carol, HEAD, "2026-05-01T12:00:00Z", { ref: "refs/heads/main" }),
      entry(bob, HEAD, "2026-05-01T10:00:00Z"),
    ],
    pusher: "bob",
  },
  {
    name: "a merge-queue branch at the head (pushed by the queue) does not count",
    activities: [
      entry(carol, HEAD, "2026-05-01T12:00:00Z", {
        ref: `refs/heads/gh-readonly-queue/main/pr-42-${sha("base")}`,
        type: "merge_queue_merge",
      }),
    ],
    pusher: null,
  },
  {
    name: "a branch deletion is never a push, whatever SHA it lists",
    activities: [
      entry(dave, HEAD, "2026-05-01T12:00:00Z", { type: "branch_deletion" }),
      entry(bob, HEAD, "2026-05-01T10:00:00Z"),
    ],
    pusher: "bob",
  },
  {
    name: "no push of the head listed (older than the history, or not indexed yet): unknown",
    activities: [entry(bob, sha("first"), "2026-05-01T10:00:00Z")],
    pusher: null,
  },
  {
    name: "the pusher's account is gone (ghost): unknown",
    activities: [entry(null, HEAD, "2026-05-01T10:00:00Z")],
    pusher: null,
  },
];

describe("pusherFromActivity", () => {
  it.each(cases)("$name", ({ activities, pusher }) => {
    expect(pusherFromActivity(activities, BRANCH, HEAD)?.login ?? null).toBe(pusher);
  });
});

describe("the pusher a pull request event names", () => {
  const payload = (action: string) => ({
    action,
    sender: { id: bob.id, login: "bob", type: "User" },
    pull_request: { number: 42, base: { sha: sha("base"), ref: "main" }, head: { sha: HEAD } },
  });

  it("a synchronize names its sender as the pusher of the head it saw", () => {
    expect(pullRequestTarget("pull_request", payload("synchronize"))).toMatchObject({
      lastPusher: { id: bob.id, login: "bob" },
      headSha: HEAD,
    });
  });

  it.each(["opened", "reopened", "edited"])(
    "%s names no pusher: the sender opened or edited it, and need not have pushed",
    (action) => {
      expect(pullRequestTarget("pull_request", payload(action))).toMatchObject({
        lastPusher: null,
      });
    },
  );

  it("a review names no pusher (its sender is the reviewer)", () => {
    expect(pullRequestTarget("pull_request_review", { ...payload("submitted") })).toMatchObject({
      lastPusher: null,
      event: "pull_request_review",
    });
  });
});
