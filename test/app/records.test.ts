import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/core/change-management/evaluate.js";
import { planAppend } from "../../src/core/evidence/append-plan.js";
import type { PendingRecord } from "../../src/core/evidence/pending-record.js";
import {
  buildChangeRecord,
  buildDirectPushRecord,
  buildPullRequestEvent,
  buildReviewEvent,
  commitsOfCompare,
  commitsOfPushPayload,
  findTickets,
  needsAccounts,
  withCommitAccounts,
  inferMergeMethod,
  mergeRecordId,
  pullRequestEventId,
  pushRecordId,
  reviewEventId,
  type Built,
  type CommitShape,
  type RecordContext,
} from "../../src/core/evidence/records/index.js";
import { segment } from "../../src/core/evidence/records/ids.js";
import { loadSourceFile } from "../../src/core/source-file.js";
import {
  alice,
  approve,
  bob,
  facts,
  HEAD,
  NOW,
  policy,
  sha,
} from "../core/change-management/builder.js";
import { example } from "./support.js";

const context = (over: Partial<RecordContext> = {}): RecordContext => ({
  deliveryId: "6f1c2a30-0b7e-11ef-9a0e-2f3b5c9d1e44",
  event: "pull_request",
  recordedAt: NOW,
  controls: ["CHG-01"],
  sourceName: "soc2-as-code App test",
  ...over,
});

function recordOf(built: Built): PendingRecord {
  if ("skip" in built) throw new Error(`skipped: ${built.skip}`);
  return built.record;
}

/** The record as a store writes it, read back by the validator: no diagnostics at all. */
function expectValid(record: PendingRecord): void {
  const plan = planAppend({ record, head: undefined, evidencePath: "evidence" });
  expect(plan.ok ? [] : plan.problems).toEqual([]);
  if (!plan.ok) return;
  const bytes = new TextEncoder().encode(plan.plan.text);
  const loaded = loadSourceFile({ path: plan.plan.path, size: bytes.length, bytes }, "evidence");
  expect(loaded.diagnostics).toEqual([]);
  expect(loaded.file?.schemaValid).toBe(true);
}

describe("record ids", () => {
  it("are paths by repository, month and pull request, lower case", () => {
    expect(mergeRecordId("Acme-Cloud/Platform", 1287, "2026-10-14T09:12:40Z")).toBe(
      "changes/acme-cloud/platform/2026/10/pr-1287",
    );
    expect(pushRecordId("acme/web", { after: "A".repeat(40) }, "2026-01-31T23:59:59Z")).toBe(
      "changes/acme/web/2026/01/push-aaaaaaaaaaaa",
    );
    expect(pushRecordId("acme/web", { deletedAt: sha("x") }, "2026-01-31T23:59:59Z")).toBe(
      `changes/acme/web/2026/01/push-deleted-${sha("x").slice(0, 12)}`,
    );
    expect(reviewEventId("acme/web", 7, 2207815533, "submitted", "ABC-def")).toBe(
      "reviews/acme/web/pr-7/2207815533-submitted-abc-def",
    );
    expect(
      pullRequestEventId("acme/web", 7, "2026-10-14T09:12:40Z", "ready_for_review", "d-1"),
    ).toBe("pull-requests/acme/web/pr-7/20261014T091240-ready-for-review-d-1");
  });

  it("never make a hidden folder, and stay under 200 characters for the longest names", () => {
    expect(mergeRecordId("acme/.github", 1, "2026-01-01T00:00:00Z")).toBe(
      "changes/acme/_.github/2026/01/pr-1",
    );
    const long = pullRequestEventId(
      `${"o".repeat(39)}/${"r".repeat(100)}`,
      2147483647,
      "2026-10-14T09:12:40Z",
      "ready_for_review",
      "f".repeat(36),
    );
    expect(long.length).toBeLessThanOrEqual(200);
    expect(segment("r".repeat(100), 50)).not.toBe(segment(`${"r".repeat(99)}s`, 50));
  });
});

describe("review events", () => {
  it("records a submitted approval bound to the commit it approved", () => {
    const payload = example("pull_request_review", "submitted");
    payload.review.state = "approved";
    const record = recordOf(buildReviewEvent(payload, context({ event: "pull_request_review" })));
    expect(record).toMatchObject({
      id: `reviews/codertocat/hello-world/pr-2/${payload.review.id}-submitted-6f1c2a30-0b7e-11ef-9a0e-2f3b5c9d1e44`,
      kind: "review-event",
      controls: ["CHG-01"],
      recorded_at: NOW.toISOString(),
      source: {
        type: "github-app",
        delivery_id: "6f1c2a30-0b7e-11ef-9a0e-2f3b5c9d1e44",
        event: "pull_request_review.submitted",
      },
      content: {
        repository: { id: 186853002, full_name: "Codertocat/Hello-World" },
        pull_request: { number: 2, head_sha: payload.pull_request.head.sha },
        action: "submitted",
        review: {
          id: payload.review.id,
          reviewer: { id: 21031067, login: "Codertocat", type: "User" },
          state: "APPROVED",
          commit_id: payload.review.commit_id,
          submitted_at: "2019-05-15T15:20:38.000Z",
        },
        actor: { id: 21031067, login: "Codertocat" },
        occurred_at: "2019-05-15T15:20:38.000Z",
      },
    });
    expectValid(record);
  });

  it("records a dismissal (dated when received) and an edit", () => {
    const dismissedPayload = example("pull_request_review", "dismissed");
    const dismissal = recordOf(buildReviewEvent(dismissedPayload, context()));
    expect(dismissal.content).toMatchObject({
      action: "dismissed",
      review: { state: "DISMISSED", dismissed: true },
      occurred_at: NOW.toISOString(),
    });
    expectValid(dismissal);
    const edited = { ...example("pull_request_review", "submitted"), action: "edited" };
    const edit = recordOf(buildReviewEvent(edited, context()));
    expect(edit.id).toContain("-edited-");
    expectValid(edit);
  });

  it("skips what it cannot record, never throws", () => {
    expect(buildReviewEvent({}, context())).toHaveProperty("skip");
    expect(buildReviewEvent(null, context())).toHaveProperty("skip");
    const pending = example("pull_request_review", "submitted");
    pending.review.state = "weird";
    expect(buildReviewEvent(pending, context())).toHaveProperty("skip");
  });
});

describe("pull-request events", () => {
  it("records opened, reopened and ready_for_review with the head and base", () => {
    for (const action of ["opened", "reopened", "ready_for_review"]) {
      const payload = example("pull_request", action);
      const record = recordOf(buildPullRequestEvent(payload, context()));
      expect(record.kind).toBe("pull-request-event");
      expect(record.content).toMatchObject({
        action,
        pull_request: { number: payload.pull_request.number, base_ref: "master" },
        actor: { id: payload.sender.id },
      });
      expect(record.id).toMatch(
        new RegExp(
          `^pull-requests/codertocat/hello-world/pr-\\d+/\\d{8}T\\d{6}-${action.replace(/_/g, "-")}-`,
        ),
      );
      expectValid(record);
    }
  });

  it("records a push to the pull request with before, after and whether it was forced", () => {
    const payload = example("pull_request", "synchronize");
    const forced = recordOf(buildPullRequestEvent(payload, context(), { forced: true }));
    expect(forced.content).toMatchObject({
      action: "synchronize",
      before: payload.before,
      after: payload.after,
      forced: true,
    });
    expectValid(forced);
    const unknown = recordOf(buildPullRequestEvent(payload, context(), { forced: null }));
    expect(unknown.content).not.toHaveProperty("forced");
    expectValid(unknown);
  });

  it("records a retargeted pull request as base_changed, and ignores other edits", () => {
    const payload = example("pull_request", "opened");
    payload.action = "edited";
    expect(buildPullRequestEvent(payload, context())).toHaveProperty("skip");
    payload.changes = { base: { ref: { from: "develop" }, sha: { from: sha("old-base") } } };
    const record = recordOf(buildPullRequestEvent(payload, context()));
    expect(record.content).toMatchObject({
      action: "base_changed",
      base_change: { from: "develop", to: "master" },
    });
    expect(record.source.event).toBe("pull_request.edited");
    expectValid(record);
  });

  it("redacts token-like strings in titles and branch names", () => {
    const payload = example("pull_request", "opened");
    const token = `ghp_${"A1b2C3d4".repeat(5)}`;
    payload.pull_request.title = `fix: rotate ${token}`;
    payload.pull_request.head.ref = `leak-${token}`;
    const record = recordOf(buildPullRequestEvent(payload, context()));
    expect(JSON.stringify(record)).not.toContain(token);
    expect(record.content).toMatchObject({
      pull_request: { title: "fix: rotate [REDACTED]", head_ref: "leak-[REDACTED]" },
    });
  });
});

/** A merged pull_request.closed payload for the facts of builder.ts. */
function mergedPayload(mergedAt = "2026-05-01T12:00:00Z") {
  const payload = example("pull_request", "closed");
  Object.assign(payload.pull_request, {
    number: 42,
    merged: true,
    merged_at: mergedAt,
    merge_commit_sha: sha("merge"),
    merged_by: { ...payload.sender, id: 2, login: "bob" },
  });
  payload.repository.full_name = "acme-cloud/platform";
  return payload;
}

describe("change records at merge", () => {
  const rules = policy({ ticket: { required: false, pattern: "[A-Z]+-[0-9]+" } });

  it("records who changed what, who approved which commit and the verdict that passed", () => {
    const f = facts({
      title: "PAY-412: round overtime",
      body: "Fixes PAY-412 and OPS-7. PAY-412 again.",
      reviews: [approve(bob)],
      labels: ["payroll"],
      merged: { by: bob, at: "2026-05-01T12:00:00Z", commit_sha: sha("merge") },
    });
    const verdict = evaluate(f, rules, { now: NOW });
    expect(verdict.result).toBe("pass");
    const record = recordOf(
      buildChangeRecord(
        {
          payload: mergedPayload(),
          facts: f,
          verdict,
          ticket: rules.ticket,
          mergeMethod: "squash",
          messages: { [HEAD]: "round overtime\n\nCo-authored-by: nobody" },
        },
        context(),
      ),
    );
    expect(record.id).toBe("changes/acme-cloud/platform/2026/05/pr-42");
    expect(record.kind).toBe("change-record");
    expect(record.content).toMatchObject({
      repository: { id: 1000, full_name: "acme-cloud/platform" },
      change: {
        type: "pull-request",
        number: 42,
        title: "PAY-412: round overtime",
        author: alice,
        base_ref: "main",
        head_sha: HEAD,
        merged_sha: sha("merge"),
        merge_method: "squash",
        merged_at: "2026-05-01T12:00:00.000Z",
        merged_by: { id: 2, login: "bob" },
      },
      reviews: [{ reviewer: bob, state: "APPROVED", commit_id: HEAD }],
      checks: [{ name: "validate", conclusion: "success", sha: HEAD }],
      tickets: ["PAY-412", "OPS-7"],
      labels: ["payroll"],
      verdict: { result: "pass", facts_digest: verdict.facts_digest },
      facts: f,
    });
    expect(record.content).not.toHaveProperty("exception");
    const commits = record.content.commits as { sha: string; message?: string }[];
    expect(commits.find((c) => c.sha === HEAD)?.message).toContain("round overtime");
    expectValid(record);
  });

  it("records a merge that failed the policy as an exception, never drops it", () => {
    const f = facts({
      merged: { by: alice, at: "2026-05-01T12:00:00Z", commit_sha: sha("merge") },
    });
    const verdict = evaluate(f, rules, { now: NOW });
    const record = recordOf(
      buildChangeRecord(
        { payload: mergedPayload(), facts: f, verdict, ticket: rules.ticket, mergeMethod: "merge" },
        context(),
      ),
    );
    expect(record.content).toMatchObject({
      verdict: { result: "fail" },
      exception: { type: "bypass", reason: expect.stringContaining("required-approvals") },
    });
    expectValid(record);

    // Facts without the merge (GitHub had not caught up): still an exception, policy-failure.
    const late = facts();
    const lateVerdict = evaluate(late, rules, { now: NOW });
    const lateRecord = recordOf(
      buildChangeRecord(
        {
          payload: mergedPayload(),
          facts: late,
          verdict: lateVerdict,
          ticket: rules.ticket,
          mergeMethod: "unknown",
        },
        context(),
      ),
    );
    expect(lateRecord.content).toMatchObject({
      exception: {
        type: "policy-failure",
        reason: expect.stringContaining("required-approvals (failed)"),
      },
    });
    expectValid(lateRecord);
  });

  it("records an emergency change with its retrospective review due", () => {
    const emergencyPolicy = policy({ emergency: { label: "emergency-change" } });
    const f = facts({ labels: ["emergency-change"] });
    const verdict = evaluate(f, emergencyPolicy, { now: NOW });
    const record = recordOf(
      buildChangeRecord(
        {
          payload: mergedPayload(),
          facts: f,
          verdict,
          ticket: emergencyPolicy.ticket,
          mergeMethod: "merge",
        },
        context(),
      ),
    );
    expect(record.content).toMatchObject({
      exception: { type: "emergency", retrospective_review_due: "2026-05-03T12:00:00.000Z" },
    });
    expectValid(record);
  });

  it("skips a pull request closed without merging", () => {
    const payload = example("pull_request", "closed");
    const f = facts();
    expect(
      buildChangeRecord(
        {
          payload,
          facts: f,
          verdict: evaluate(f, rules, { now: NOW }),
          ticket: rules.ticket,
          mergeMethod: "merge",
        },
        context(),
      ),
    ).toHaveProperty("skip");
  });
});

describe("direct pushes", () => {
  function pushPayload(over: Record<string, unknown> = {}) {
    const payload = example("push");
    Object.assign(payload, { before: sha("before"), created: false, ...over });
    return payload;
  }

  it("records the commits that reached the branch without a pull request, once per push", () => {
    const payload = pushPayload();
    const commits = commitsOfPushPayload(payload);
    expect(commits).toHaveLength(1);
    expect(commits[0]?.author.account).toEqual({ id: 21031067, login: "Codertocat", type: "User" });
    const record = recordOf(
      buildDirectPushRecord({ payload, commits }, context({ event: "push" })),
    );
    expect(record.id).toBe(
      `changes/codertocat/hello-world/2019/05/push-${payload.after.slice(0, 12)}`,
    );
    expect(record.source.event).toBe("push");
    expect(record.content).toMatchObject({
      change: {
        type: "direct-push",
        base_ref: "master",
        base_sha: sha("before"),
        merged_sha: payload.after,
        merge_method: "push",
        merged_by: { id: 21031067, login: "Codertocat" },
      },
      reviews: [],
      exception: { type: "direct-push", reason: expect.stringContaining("pushed 1 commit(s)") },
      verdict: { result: "fail" },
    });
    expectValid(record);
  });

  it("flags a forced push even when it brings no new commit, and a deleted branch", () => {
    const forced = recordOf(
      buildDirectPushRecord({ payload: pushPayload({ forced: true }), commits: [] }, context()),
    );
    expect(forced.content).toMatchObject({
      exception: {
        reason: expect.stringContaining("force-pushed, rewriting the branch's history"),
      },
    });
    expectValid(forced);
    const deleted = recordOf(
      buildDirectPushRecord(
        { payload: pushPayload({ deleted: true, after: "0".repeat(40) }), commits: [] },
        context(),
      ),
    );
    expect(deleted.id).toContain("push-deleted-");
    expect(deleted.content).toMatchObject({ change: { merged_sha: "0".repeat(40) } });
    expectValid(deleted);
  });

  it("names the account of a commit whose author has a linked email, not (no GitHub account)", () => {
    const payload = pushPayload();
    const [first] = payload.commits;
    // Linked emails: GitHub names the account by username only (no id in the address).
    first.author = { name: "Codertocat", email: "octo@acme.example", username: "Codertocat" };
    first.committer = { name: "Dana Dev", email: "dana@acme.example", username: "dana" };
    const [commit] = commitsOfPushPayload(payload);
    // The author is the pusher (the sender): its account, with the id, comes from the payload.
    expect(commit?.author).toEqual({
      name: "Codertocat",
      account: { id: 21031067, login: "Codertocat", type: "User" },
    });
    // Someone else: the login is kept as a label until GitHub's commit answer gives the account.
    expect(commit?.committer).toEqual({ name: "Dana Dev", login: "dana" });
    expect(needsAccounts(commit!)).toBe(true);
    const filled = withCommitAccounts(commit!, {
      sha: commit!.sha,
      author: { id: 21031067, login: "Codertocat", type: "User" },
      committer: { id: 4242, login: "dana", type: "User" },
    });
    expect(filled.committer).toEqual({
      name: "Dana Dev",
      account: { id: 4242, login: "dana", type: "User" },
    });
    expect(needsAccounts(filled)).toBe(false);
    // GitHub did not answer: the login stays, and the record is still valid.
    const unresolved = withCommitAccounts(commit!, undefined);
    const record = recordOf(buildDirectPushRecord({ payload, commits: [unresolved] }, context()));
    expect(record.content).toMatchObject({
      commits: [{ committer: { name: "Dana Dev", login: "dana" } }],
    });
    expectValid(record);
    expectValid(recordOf(buildDirectPushRecord({ payload, commits: [filled] }, context())));
  });

  it("leaves a commit whose email GitHub matched to no account without one", () => {
    const payload = pushPayload();
    payload.commits[0].author = { name: "Someone", email: "someone@elsewhere.example" };
    const [commit] = commitsOfPushPayload(payload);
    expect(commit?.author).toEqual({ name: "Someone" });
    expect(needsAccounts({ ...commit!, committer: { name: "x" } })).toBe(false);
  });

  it("records nothing when every commit belongs to a merged pull request", () => {
    expect(
      buildDirectPushRecord({ payload: pushPayload(), commits: [] }, context()),
    ).toHaveProperty("skip");
  });

  it("redacts commit messages", () => {
    const payload = pushPayload();
    const commits = commitsOfPushPayload(payload).map((c) => ({
      ...c,
      message: "debug: token = sk_live_0123456789abcdefABCDEF",
    }));
    const record = recordOf(buildDirectPushRecord({ payload, commits }, context()));
    expect(JSON.stringify(record.content)).not.toContain("sk_live_0123456789abcdefABCDEF");
    expectValid(record);
  });

  it("reads the commits of a compare answer", () => {
    const commits = commitsOfCompare({
      commits: [
        {
          sha: sha("c1"),
          commit: { message: "m", author: { name: "Alice" }, committer: { name: "GitHub" } },
          author: { id: 1, login: "alice", type: "User" },
          committer: null,
        },
      ],
    });
    expect(commits).toEqual([
      {
        sha: sha("c1"),
        message: "m",
        author: { name: "Alice", account: { id: 1, login: "alice", type: "User" } },
        committer: { name: "GitHub" },
      },
    ]);
  });
});

describe("merge method", () => {
  const head: CommitShape = {
    sha: sha("head"),
    parents: [sha("first")],
    authorDate: "2026-05-01T08:00:00Z",
    message: "add the thing",
  };
  const commit = (over: Partial<CommitShape>): CommitShape => ({
    sha: sha("merge"),
    parents: [sha("base")],
    authorDate: "2026-05-01T12:00:00Z",
    message: "Add the thing (#42)",
    ...over,
  });
  const infer = (mergeCommit: CommitShape | undefined, mergeSha = sha("merge")) =>
    inferMergeMethod({ mergeSha, headSha: head.sha, mergeCommit, commits: [head] });

  it.each([
    ["merge", commit({ parents: [sha("base"), head.sha] })],
    ["squash", commit({})],
    ["rebase", commit({ authorDate: head.authorDate, message: head.message })],
    ["unknown", undefined],
  ])("%s", (method, mergeCommit) => expect(infer(mergeCommit)).toBe(method));

  it("push: the head itself landed on the branch; unknown without a merge commit", () => {
    expect(infer(undefined, head.sha)).toBe("push");
    expect(
      inferMergeMethod({
        mergeSha: undefined,
        headSha: head.sha,
        mergeCommit: undefined,
        commits: [],
      }),
    ).toBe("unknown");
  });
});

describe("tickets", () => {
  it("finds each reference once, in the places the policy names", () => {
    const ticket = {
      required: true,
      pattern: "[A-Z][A-Z0-9]+-[0-9]+",
      in: ["title", "branch"] as const,
    };
    expect(
      findTickets(
        { ...ticket, in: [...ticket.in] },
        { title: "PAY-1 and OPS-22", body: "SEC-9", branch: "pay-1/PAY-1" },
      ),
    ).toEqual(["PAY-1", "OPS-22"]);
    expect(
      findTickets(
        { ...ticket, pattern: "(", in: ["title"] },
        { title: "x", body: null, branch: "" },
      ),
    ).toEqual([]);
  });
});
