import { describe, expect, it } from "vitest";
import { branchActivityOfPage, mergedPullsOfPage } from "../../../src/core/reconcile/candidates.js";
import { reconcileDeliveryId } from "../../../src/core/reconcile/delivery-id.js";
import { expectedRecordId } from "../../../src/core/reconcile/expected-id.js";
import { pushEventOf } from "../../../src/core/reconcile/push-event.js";
import { parseInstant } from "../../../src/core/reconcile/window.js";

const window = { since: "2026-01-01T00:00:00.000Z", until: "2026-02-01T00:00:00.000Z" };
const sha = (c: string) => c.repeat(40);
const alice = { id: 7, login: "alice", type: "User" };

describe("merged pull requests of a page", () => {
  it("keeps those merged in the window and stops once one was last updated before it", () => {
    const page = [
      {
        number: 5,
        updated_at: "2026-02-03T00:00:00Z",
        merged_at: "2026-02-02T00:00:00Z",
        base: { ref: "main" },
      },
      {
        number: 4,
        updated_at: "2026-01-20T00:00:00Z",
        merged_at: "2026-01-19T10:00:00Z",
        base: { ref: "main" },
      },
      { number: 3, updated_at: "2026-01-10T00:00:00Z", merged_at: null, base: { ref: "main" } },
      {
        number: 2,
        updated_at: "2026-01-05T00:00:00Z",
        merged_at: "2025-12-31T23:59:59Z",
        base: { ref: "dev" },
      },
    ];
    expect(mergedPullsOfPage(page, window)).toEqual({
      items: [{ number: 4, mergedAt: "2026-01-19T10:00:00.000Z", baseRef: "main" }],
      done: false,
    });
    const older = [
      ...page,
      { number: 1, updated_at: "2025-12-30T00:00:00Z", merged_at: "2025-12-30T00:00:00Z" },
    ];
    expect(mergedPullsOfPage(older, window).done).toBe(true);
    expect(mergedPullsOfPage({ message: "not a list" }, window)).toEqual({
      items: [],
      done: false,
    });
  });
});

describe("branch activity of a page", () => {
  const item = (id: number, type: string, extra: Record<string, unknown> = {}) => ({
    id,
    ref: "refs/heads/main",
    before: sha("a"),
    after: sha("b"),
    activity_type: type,
    timestamp: "2026-01-10T00:00:00Z",
    actor: alice,
    ...extra,
  });

  it("keeps pushes, force pushes and deletions of branches; merges and creations are not pushes to reconcile", () => {
    const page = [
      item(1, "push"),
      item(2, "force_push"),
      item(3, "branch_deletion", { after: sha("0") }),
      item(4, "pr_merge"),
      item(5, "branch_creation", { before: sha("0") }),
      item(6, "push", { ref: "refs/tags/v1" }),
    ];
    const { items, done } = branchActivityOfPage(page, window);
    expect(done).toBe(false);
    expect(items.map((a) => [a.id, a.type, a.branch, a.after.slice(0, 1)])).toEqual([
      [1, "push", "main", "b"],
      [2, "force_push", "main", "b"],
      [3, "branch_deletion", "main", "0"],
    ]);
    expect(items[0]!.actor).toEqual({ id: 7, login: "alice", type: "User" });
  });

  it("is done once the activity is older than the window", () => {
    const page = [item(1, "push", { timestamp: "2025-12-01T00:00:00Z" })];
    expect(branchActivityOfPage(page, window)).toEqual({ items: [], done: true });
  });
});

describe("the push event rebuilt from an activity and a compare", () => {
  it("names the pusher, the commits, and puts the push's files on its last commit", () => {
    const activity = {
      id: 9,
      branch: "main",
      before: sha("a"),
      after: sha("c"),
      type: "force_push" as const,
      actor: { id: 7, login: "alice", type: "User" as const },
      timestamp: "2026-01-10T00:00:00.000Z",
    };
    const compare = {
      commits: [{ sha: sha("b") }, { sha: sha("c") }],
      files: [
        { filename: "a.ts", status: "added" },
        { filename: "b.ts", status: "renamed", previous_filename: "old.ts" },
        { filename: "c.ts", status: "removed" },
      ],
    };
    const event = pushEventOf(
      activity,
      { id: 1, full_name: "acme/web", default_branch: "main" },
      compare,
    );
    expect(event).toMatchObject({
      ref: "refs/heads/main",
      forced: true,
      deleted: false,
      sender: activity.actor,
      repository: { full_name: "acme/web", pushed_at: activity.timestamp },
      commits: [
        { id: sha("b"), added: [], modified: [], removed: [] },
        { id: sha("c"), added: ["a.ts"], modified: ["b.ts"], removed: ["c.ts", "old.ts"] },
      ],
    });
  });
});

describe("ids of recovered changes", () => {
  const pull = { number: 12, mergedAt: "2026-01-19T10:00:00.000Z", baseRef: "main" };
  const push = {
    id: 1,
    branch: "main",
    before: sha("a"),
    after: sha("b"),
    type: "push" as const,
    actor: undefined,
    timestamp: "2026-03-01T00:00:00.000Z",
  };
  it("are the webhook path's record ids, and deterministic delivery ids", () => {
    expect(expectedRecordId("Acme/Web", { pull })).toBe("changes/acme/web/2026/01/pr-12");
    expect(expectedRecordId("acme/web", { activity: push })).toBe(
      `changes/acme/web/2026/03/push-${"b".repeat(12)}`,
    );
    const deletion = { ...push, type: "branch_deletion" as const, after: sha("0") };
    expect(expectedRecordId("acme/web", { activity: deletion })).toBe(
      `changes/acme/web/2026/03/push-deleted-${"a".repeat(12)}`,
    );
    expect(reconcileDeliveryId({ pull })).toBe("reconcile-pr-12");
    expect(reconcileDeliveryId({ activity: push })).toBe(`reconcile-push-${"b".repeat(12)}`);
    expect(reconcileDeliveryId({ activity: deletion })).toBe(`reconcile-deleted-${"a".repeat(12)}`);
  });
});

describe("--since and --until", () => {
  it("take a day or an instant with its zone", () => {
    expect(parseInstant("--since", "2026-01-01")).toBe("2026-01-01T00:00:00.000Z");
    expect(parseInstant("--since", "2026-01-01T09:30:00+02:00")).toBe("2026-01-01T07:30:00.000Z");
    for (const bad of ["2026-02-30", "yesterday", "2026-01-01T09:00"])
      expect(parseInstant("--since", bad)).toEqual({
        problem: expect.stringContaining(`--since "${bad}" is not a date`),
      });
  });
});
