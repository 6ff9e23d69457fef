import { describe, expect, it } from "vitest";
import type { BranchActivity, MergedPull } from "../../../src/core/reconcile/candidates.js";
import { mergePushes } from "../../../src/core/reconcile/merge-push.js";

const sha = (c: string) => c.repeat(40);
const pull: MergedPull = {
  number: 7,
  mergedAt: "2026-01-05T10:00:00Z",
  baseRef: "main",
  baseSha: sha("a"),
  mergeCommit: { sha: sha("m"), parents: [sha("a"), sha("h")] },
};
const push = (over: Partial<BranchActivity> = {}): BranchActivity => ({
  id: 1,
  branch: "main",
  before: sha("a"),
  after: sha("m"),
  type: "push",
  actor: undefined,
  timestamp: "2026-01-05T10:00:01Z",
  ...over,
});

describe("mergePushes", () => {
  const of = mergePushes([pull, { number: 8, mergedAt: "2026-01-06T00:00:00Z", baseRef: "main" }]);

  it("names the pull request whose merge commit the push put on its base, over its first parent", () => {
    expect(of(push())?.number).toBe(7);
  });

  it("leaves every other push to the push check", () => {
    // Other commits came with it: the branch was not at the merge commit's first parent.
    expect(of(push({ before: sha("b") }))).toBeUndefined();
    // Another branch, a force push, another commit.
    expect(of(push({ branch: "release" }))).toBeUndefined();
    expect(of(push({ type: "force_push" }))).toBeUndefined();
    expect(of(push({ after: sha("c") }))).toBeUndefined();
    // A listing that does not say the merge commit (REST's) proves nothing.
    expect(mergePushes([{ ...pull, mergeCommit: undefined }])(push())).toBeUndefined();
  });
});
