import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EvidenceStoreError } from "../../../src/adapters/evidence/errors.js";
import {
  GitHubEvidenceStore,
  type GitHubEvidenceStoreOptions,
} from "../../../src/adapters/evidence/github-store.js";
import type { RetryEvent } from "../../../src/adapters/evidence/retry.js";
import type { GitHubClient } from "../../../src/adapters/github/client.js";
import { verifyChain } from "../../../src/core/evidence/index.js";
import { reviewEvent } from "../../core/evidence/samples.js";
import { chainInput, startStand, type Stand } from "./github-helpers.js";

const NOW = new Date("2026-05-01T12:00:00Z");
let stand: Stand;
let waits: number[];
let retries: RetryEvent[];

function store(options: Partial<GitHubEvidenceStoreOptions> = {}, client: GitHubClient = stand.octokit) {
  return new GitHubEvidenceStore(client, {
    repository: "acme/evidence",
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    onRetry: (event) => retries.push(event),
    ...options,
  });
}

/** The requests the stand-in served since `from`, as "METHOD route" counts. */
function requestsSince(from: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of stand.gh.requests.slice(from)) {
    const route = r.path
      .replace(/\/contents\/.*/, "/contents/{path}")
      .replace(/\/git\/(ref|refs)\/.*/, "/git/$1/{ref}")
      .replace(/\/git\/commits\/[0-9a-f]+/, "/git/commits/{sha}");
    const key = `${r.method} ${route}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Lets the store's batch loop see that nothing more is waiting, so the next append starts a batch. */
const idle = () => new Promise((resolve) => setImmediate(resolve));

const written = (n: number) => `evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-${n}.yml`;

beforeEach(async () => {
  stand = await startStand({ now: () => NOW });
  waits = [];
  retries = [];
});

afterEach(async () => {
  await stand.gh.close();
  stand.checker.assertClean();
});

describe("GitHubEvidenceStore group commit", () => {
  it("writes the records that arrive during a commit as one tree, one commit and one ref update", async () => {
    const s = store();
    await s.append(reviewEvent(1)); // learns the branch: tip, head, indexes
    await idle();
    const from = stand.gh.requests.length;
    const results = await Promise.all([2, 3, 4, 5, 6, 7, 8, 9].map((n) => s.append(reviewEvent(n))));
    // The first of them went alone (the store was idle); the seven that came meanwhile, together.
    const commits = stand.evidence.log("main");
    expect(commits).toHaveLength(4);
    expect(new Set(results.slice(1).map((r) => r.commit))).toEqual(new Set([commits[0]!.sha]));
    expect(results.map((r) => r.sequence)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(commits[0]!.message).toMatch(/^evidence: 7 records, sequence 3 to 9\n\n- 3 review-event /);
    // No blobs, no reading the head or the indexes again: one existence check per record.
    expect(requestsSince(from)).toEqual({
      "GET /repos/acme/evidence/contents/{path}": 8,
      "POST /repos/acme/evidence/git/trees": 2,
      "POST /repos/acme/evidence/git/commits": 2,
      "PATCH /repos/acme/evidence/git/refs/{ref}": 2,
    });
    const report = verifyChain(chainInput(stand.evidence));
    expect(report.findings).toEqual([]);
    expect(report.chained).toBe(9);
    // The indexes have every row once.
    const byControl = stand.evidence.readFile(
      "evidence/index/by-control/CHG-01/2026-05.md",
      "main",
    )!;
    expect(byControl.split("\n").filter((l) => l.includes("pr-42-review-"))).toHaveLength(9);
  });

  it("writes an id twice in one batch once, and both callers learn it", async () => {
    const s = store();
    const first = s.append(reviewEvent(1));
    const batch = [s.append(reviewEvent(2)), s.append(reviewEvent(3)), s.append(reviewEvent(2))];
    await first;
    const results = await Promise.all(batch);
    expect(results.map((r) => r.status)).toEqual(["written", "written", "exists"]);
    expect(results[2]).toEqual({ status: "exists", path: written(2), commit: results[0]!.commit });
    // Stored before: exists, and the others of the batch are still written.
    const again = await Promise.all([s.append(reviewEvent(1)), s.append(reviewEvent(4))]);
    expect(again.map((r) => r.status)).toEqual(["exists", "written"]);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 4 });
  });

  it("rebuilds the batch on the new tip when another writer moved the branch during the commit", async () => {
    const other = store();
    let moved = false;
    // Just before this store moves the ref, another writer commits a record: the update is then
    // not a fast forward.
    const racing: GitHubClient = {
      paginate: stand.octokit.paginate.bind(stand.octokit),
      request: async (route, parameters) => {
        if (route.startsWith("PATCH ") && !moved) {
          moved = true;
          await other.append(reviewEvent(99));
        }
        return stand.octokit.request(route, parameters);
      },
    };
    const s = store({}, racing);
    await s.append(reviewEvent(1));
    const results = await Promise.all([2, 3, 4].map((n) => s.append(reviewEvent(n))));
    expect(results.map((r) => r.status)).toEqual(["written", "written", "written"]);
    expect(retries.map((r) => r.reason)).toEqual(["conflict"]);
    expect(stand.gh.requests.some((r) => r.method === "PATCH" && r.status === 422)).toBe(true);
    const report = verifyChain(chainInput(stand.evidence));
    expect(report.findings).toEqual([]);
    expect(report.chained).toBe(5); // 1, 99, then 2 to 4 on top of it
  });

  it("gets a batch through a 409 on the ref, a server error and a secondary rate limit on the tree", async () => {
    const s = store();
    await s.append(reviewEvent(1));
    stand.gh.state.faults.push(
      { method: "POST", pathPattern: "/repos/{owner}/{repo}/git/trees", status: 502 },
      {
        method: "POST",
        pathPattern: "/repos/{owner}/{repo}/git/trees",
        status: 403,
        secondaryRateLimit: true,
        retryAfter: 9,
      },
      { method: "PATCH", pathPattern: "/repos/{owner}/{repo}/git/refs/{ref}", status: 409 },
    );
    const results = await Promise.all([2, 3, 4].map((n) => s.append(reviewEvent(n))));
    expect(results.map((r) => r.status)).toEqual(["written", "written", "written"]);
    expect(retries.map((r) => [r.reason, r.waitMs])).toEqual([
      ["server-error", expect.any(Number)],
      ["secondary-rate-limit", 9000], // never sooner than GitHub asked
      ["conflict", expect.any(Number)],
    ]);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 4 });
  });

  it("fails every caller of a batch whose commit fails for good, and writes nothing", async () => {
    const s = store({ maxAttempts: 2 });
    await s.append(reviewEvent(1));
    const tip = stand.evidence.branchSha("main");
    stand.gh.state.faults.push({
      method: "POST",
      pathPattern: "/repos/{owner}/{repo}/git/commits",
      status: 500,
      times: 100,
    });
    const outcomes = await Promise.allSettled([2, 3].map((n) => s.append(reviewEvent(n))));
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    const errors = outcomes.map((o) => (o as PromiseRejectedResult).reason as EvidenceStoreError);
    expect(errors.every((e) => e instanceof EvidenceStoreError)).toBe(true);
    expect(errors.map((e) => e.path)).toEqual([written(2), written(3)]);
    expect(errors[0]).toMatchObject({ attempts: 2, status: 500 });
    expect(stand.evidence.branchSha("main")).toBe(tip);
    // Once GitHub is back, the same records are written (the queue retries the deliveries).
    stand.gh.state.faults.length = 0;
    expect((await s.append(reviewEvent(2))).status).toBe("written");
  });

  it("splits a batch larger than the request limit into several tree requests, still one commit", async () => {
    const s = store({ maxRequestBytes: 6_000 });
    await s.append(reviewEvent(1));
    await idle();
    const from = stand.gh.requests.length;
    const results = await Promise.all([2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => s.append(reviewEvent(n))));
    const counts = requestsSince(from);
    expect(counts["POST /repos/acme/evidence/git/commits"]).toBe(2);
    expect(counts["POST /repos/acme/evidence/git/trees"]).toBeGreaterThan(3);
    // Every tree request stayed under the limit (the stand-in saw each body).
    const trees = stand.gh.requests.slice(from).filter((r) => r.method === "POST" && r.path.endsWith("/git/trees"));
    for (const r of trees) expect(Buffer.byteLength(JSON.stringify(r.body))).toBeLessThanOrEqual(6_000);
    expect(new Set(results.slice(1).map((r) => r.commit)).size).toBe(1);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 10 });
  });

  it("writes one commit per record with maxBatchRecords 1", async () => {
    const s = store({ maxBatchRecords: 1 });
    await Promise.all([1, 2, 3].map((n) => s.append(reviewEvent(n))));
    expect(stand.evidence.log("main")).toHaveLength(4);
  });
});
