import { readFileSync } from "node:fs";
import { evaluate, readChangePolicy } from "../../../src/core/change-management/index.js";
import type { PullRequestFacts } from "../../../src/core/change-management/facts.js";
import type { PendingRecord } from "../../../src/core/evidence/pending-record.js";

const facts = JSON.parse(
  readFileSync(new URL("../change-management/fixtures/approved.json", import.meta.url), "utf8"),
) as PullRequestFacts;

export const REPOSITORY = { id: 1000, full_name: "acme-cloud/platform" };
export const ALICE = { id: 1, login: "alice", type: "User" as const };
export const BOB = { id: 2, login: "bob", type: "User" as const };
export const HEAD_SHA = "1a954628a960aaef81d7b2d4521929579f3541e6";

/** A review event, as the App would hand it to a store; `n` makes the id and review unique. */
export function reviewEvent(n: number, at = "2026-05-01T10:15:00Z"): PendingRecord {
  return {
    id: `reviews/acme-cloud/platform/2026/05/pr-42-review-${n}`,
    kind: "review-event",
    controls: ["CHG-01"],
    recorded_at: at,
    source: {
      type: "github-app",
      name: "soc2-as-code App 0.1.0",
      delivery_id: `delivery-${n}`,
      event: "pull_request_review.submitted",
    },
    content: {
      repository: REPOSITORY,
      pull_request: { number: 42, head_sha: HEAD_SHA },
      action: "submitted",
      review: {
        id: 2000 + n,
        reviewer: BOB,
        state: "APPROVED",
        commit_id: HEAD_SHA,
        submitted_at: at,
      },
      actor: BOB,
      occurred_at: at,
    },
  };
}

/** A forced push to a pull request. */
export function pullRequestEvent(): PendingRecord {
  return {
    id: "pull-requests/acme-cloud/platform/2026/05/pr-42-synchronize-20260501T101000",
    kind: "pull-request-event",
    controls: ["CHG-01"],
    recorded_at: "2026-05-01T10:10:01Z",
    source: {
      type: "github-app",
      name: "soc2-as-code App 0.1.0",
      delivery_id: "a3c1f9e0-2665-11f1-8a3e-0f6e0c2b9d11",
      event: "pull_request.synchronize",
    },
    content: {
      repository: REPOSITORY,
      pull_request: {
        number: 42,
        url: "https://github.com/acme-cloud/platform/pull/42",
        title: "Rate-limit the export endpoint",
        author: ALICE,
        head_sha: HEAD_SHA,
        base_ref: "main",
        head_ref: "alice/rate-limit",
      },
      action: "synchronize",
      actor: ALICE,
      occurred_at: "2026-05-01T10:10:00Z",
      before: "e0996a37c13d44c3b06074939d43fa3759bd32c1",
      after: HEAD_SHA,
      forced: true,
    },
  };
}

/** The change record of the approved fixture, with the verdict the evaluator computes for it. */
export function changeRecord(): PendingRecord {
  const verdict = evaluate(facts, readChangePolicy({ change_management: {} }), {
    now: new Date(facts.collected_at),
  });
  return {
    id: "changes/acme-cloud/platform/2026/05/pr-42",
    kind: "change-record",
    controls: ["CHG-01"],
    recorded_at: "2026-05-01T12:00:02Z",
    source: {
      type: "github-app",
      name: "soc2-as-code App 0.1.0",
      delivery_id: "b7d2e8f0-2665-11f1-9c4d-5a1b2c3d4e5f",
      event: "pull_request.closed",
    },
    content: {
      repository: REPOSITORY,
      change: {
        type: "pull-request",
        number: 42,
        title: facts.title,
        author: ALICE,
        base_ref: "main",
        head_sha: HEAD_SHA,
        merged_sha: "7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
        merge_method: "squash",
        merged_at: "2026-05-01T12:00:00Z",
        merged_by: ALICE,
      },
      commits: [],
      reviews: [],
      checks: [],
      verdict: JSON.parse(JSON.stringify(verdict)) as unknown,
      facts: JSON.parse(JSON.stringify(facts)) as unknown,
    },
  };
}
