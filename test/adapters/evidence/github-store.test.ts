import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EvidenceStoreError } from "../../../src/adapters/evidence/errors.js";
import type { GitHubClient } from "../../../src/adapters/github/client.js";
import { GitHubEvidenceStore, type GitHubEvidenceStoreOptions } from "../../../src/adapters/evidence/github-store.js";
import type { RetryEvent } from "../../../src/adapters/evidence/retry.js";
import { recordDigest, verifyChain } from "../../../src/core/evidence/index.js";
import { reviewEvent } from "../../core/evidence/samples.js";
import { chainInput, filesAt, startStand, type Stand } from "./github-helpers.js";

const NOW = new Date("2026-05-01T12:00:00Z");
let stand: Stand;
let waits: number[];
let retries: RetryEvent[];

/** A store with a clock that does not move and a sleep that only notes how long it would wait. */
function store(options: Partial<GitHubEvidenceStoreOptions> = {}) {
  return new GitHubEvidenceStore(stand.octokit, {
    repository: "acme/evidence",
    branch: "main",
    evidencePath: "evidence",
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    onRetry: (event) => retries.push(event),
    ...options,
  });
}

beforeEach(async () => {
  stand = await startStand({ now: () => NOW });
  waits = [];
  retries = [];
});

afterEach(async () => {
  await stand.gh.close();
  // Every request the store sent, and every answer, matched GitHub's OpenAPI description.
  stand.checker.assertClean();
  // No token in any request the stand-in recorded, nor in what the store reported.
  const sent = stand.gh.requests.filter((r) => !r.path.startsWith("/app/installations/"));
  expect(JSON.stringify(sent).includes(stand.token)).toBe(false);
  expect(JSON.stringify(retries).includes(stand.token)).toBe(false);
});

describe("GitHubEvidenceStore", () => {
  it("writes a record and the chain head in one signed commit on the branch", async () => {
    const before = stand.evidence.branchSha("main")!;
    const result = await store().append(reviewEvent(1));
    const path = "evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml";
    expect(result).toEqual({
      status: "written",
      path,
      commit: stand.evidence.branchSha("main"),
      sequence: 1,
    });
    const [commit] = stand.evidence.log("main");
    expect(commit!.parents).toEqual([before]);
    expect(commit!.verification.verified).toBe(true); // made with an installation token
    expect(commit!.message).toMatch(
      /^evidence: review-event reviews\/acme-cloud\/platform\/2026\/05\/pr-42-review-1\n\nEvidence-Sequence: 1\nEvidence-Digest: sha256:[0-9a-f]{64}\nEvidence-Record-Digest: sha256:[0-9a-f]{64}\nGitHub-Delivery: delivery-1\n$/,
    );
    // The tree: what was there, plus the record, the head and the evidence indexes.
    expect(stand.evidence.listFiles("main")).toEqual([
      "README.md",
      "evidence/README.md",
      "evidence/chain-head.json",
      "evidence/index/by-control/CHG-01.md",
      "evidence/index/by-control/CHG-01/2026-05.md",
      "evidence/index/by-period/2026-05.md",
      "evidence/index/by-repository/acme-cloud/platform.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-05.md",
      path,
    ]);
    const text = stand.evidence.readFile(path, "main")!;
    expect(text.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=https://raw.githubusercontent.com/soc2-as-code/soc2-as-code/main/schemas/evidence.schema.json",
    );
    const record = parse(text) as Record<string, unknown>;
    expect(record).toMatchObject({
      kind: "review-event",
      recorded_at: "2026-05-01T12:00:00Z", // stamped by the store when it wrote
      chain: { sequence: 1, previous: null },
    });
    expect(JSON.parse(stand.evidence.readFile("evidence/chain-head.json", "main")!)).toEqual({
      sequence: 1,
      record: "reviews/acme-cloud/platform/2026/05/pr-42-review-1",
      path,
      digest: recordDigest(record),
    });
  });

  it("is idempotent: the same record again leaves the branch as it is", async () => {
    const s = store();
    await s.append(reviewEvent(1));
    const tip = stand.evidence.branchSha("main");
    const again = await s.append(reviewEvent(1));
    expect(again).toEqual({
      status: "exists",
      path: "evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml",
    });
    expect(stand.evidence.branchSha("main")).toBe(tip);
  });

  it("chains records in the order they are appended", async () => {
    const s = store();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => s.append(reviewEvent(n))));
    expect(results.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5]);
    const report = verifyChain(chainInput(stand.evidence));
    expect(report.findings).toEqual([]);
    expect(report.chained).toBe(5);
    // Group commit: the first record alone, the four that arrived meanwhile in one commit.
    expect(stand.evidence.log("main")).toHaveLength(3);
  });

  it("leaves one record when three replicas handle the same delivery at once", async () => {
    // Replicas' clocks differ by a second or so, so each builds its own commit.
    const replicas = [0, 1, 2].map((i) => store({ now: () => new Date(NOW.getTime() + i * 1000) }));
    const results = await Promise.all(replicas.map((r) => r.append(reviewEvent(1))));
    expect(results.map((r) => r.status).sort()).toEqual(["exists", "exists", "written"]);
    expect([...filesAt(stand.evidence).keys()]).toEqual([
      "evidence/README.md",
      "evidence/chain-head.json",
      "evidence/index/by-control/CHG-01.md",
      "evidence/index/by-control/CHG-01/2026-05.md",
      "evidence/index/by-period/2026-05.md",
      "evidence/index/by-repository/acme-cloud/platform.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-05.md",
      "evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml",
    ]);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 1 });
    expect(stand.evidence.log("main")).toHaveLength(2);
  });

  it("leaves one commit when replicas build the very same commit at the same second", async () => {
    // Same record, same clock: the same blobs, tree and commit, so moving the branch to it again
    // is a no-op. Each replica may say it wrote the record; there is still one of it.
    const results = await Promise.all([store(), store(), store()].map((r) => r.append(reviewEvent(1))));
    expect(new Set(results.map((r) => r.commit ?? stand.evidence.branchSha("main"))).size).toBe(1);
    expect(stand.evidence.log("main")).toHaveLength(2);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 1 });
  });

  it("writes every record when replicas append different records at once, the chain contiguous", async () => {
    // Real (short) waits, so the replicas interleave as they would on a network.
    const replicas = [0, 1, 2].map(() =>
      store({ sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), baseDelayMs: 2 }),
    );
    const results = await Promise.all(
      replicas.flatMap((r, i) => [1, 2, 3].map((n) => r.append(reviewEvent(i * 10 + n)))),
    );
    expect(results.every((r) => r.status === "written")).toBe(true);
    expect(results.map((r) => r.sequence).sort((a, b) => a! - b!)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const report = verifyChain(chainInput(stand.evidence));
    expect(report.findings).toEqual([]);
    expect(report.chained).toBe(9);
    // Some replicas lost the race to move the branch and rebuilt their commit on the new tip.
    expect(retries.every((r) => r.reason === "conflict")).toBe(true);
    expect(stand.gh.requests.some((r) => r.method === "PATCH" && r.status === 422)).toBe(
      retries.length > 0,
    );
  });

  it("gets through server errors, ref conflicts and rate limits, and waits as GitHub asks", async () => {
    stand.gh.state.faults.push(
      { method: "GET", pathPattern: "/repos/{owner}/{repo}/git/ref/{ref}", status: 500, times: 1 },
      {
        method: "POST",
        pathPattern: "/repos/{owner}/{repo}/git/trees",
        status: 403,
        secondaryRateLimit: true,
        retryAfter: 7,
      },
      { method: "PATCH", pathPattern: "/repos/{owner}/{repo}/git/refs/{ref}", status: 409, times: 2 },
      {
        method: "POST",
        pathPattern: "/repos/{owner}/{repo}/git/trees",
        status: 403,
        retryAfter: 30, // primary limit: x-ratelimit-reset is 30 s from now
      },
      { method: "POST", pathPattern: "/repos/{owner}/{repo}/git/commits", status: 502 },
    );
    const s = store();
    const results = [await s.append(reviewEvent(1)), await s.append(reviewEvent(2))];
    expect(results.map((r) => r.status)).toEqual(["written", "written"]);
    expect(retries.map((r) => [r.reason, r.waitMs >= 0])).toEqual([
      ["server-error", true],
      ["secondary-rate-limit", true],
      ["rate-limit", true],
      ["server-error", true],
      ["conflict", true],
      ["conflict", true],
    ]);
    const wait = (reason: string) => retries.find((r) => r.reason === reason)!.waitMs;
    expect(wait("secondary-rate-limit")).toBe(7000);
    expect(wait("rate-limit")).toBe(31_000); // until the reset, and a second more
    expect(retries[0]!.detail).toMatch(/Server Error|500/);
    expect(verifyChain(chainInput(stand.evidence))).toMatchObject({ ok: true, chained: 2 });
  });

  it("caps a rate-limit wait", async () => {
    stand.gh.state.faults.push({
      method: "GET",
      pathPattern: "/repos/{owner}/{repo}/git/ref/{ref}",
      status: 429,
      secondaryRateLimit: true,
      retryAfter: 3600,
    });
    await store({ maxRateLimitWaitMs: 60_000 }).append(reviewEvent(1));
    expect(waits).toEqual([60_000]);
  });

  it("throws an error that says what failed when the failures outlast the attempts", async () => {
    stand.gh.state.faults.push({
      method: "POST",
      pathPattern: "/repos/{owner}/{repo}/git/trees",
      status: 500,
      times: 100,
    });
    const failure = await store({ maxAttempts: 3 })
      .append(reviewEvent(1))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EvidenceStoreError);
    expect(failure).toMatchObject({
      path: "evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml",
      attempts: 3,
      status: 500,
    });
    expect((failure as Error).message).toMatch(
      /^could not store evidence record evidence\/reviews\/.*review-1\.yml in acme\/evidence@main: gave up after 3 attempts \(server-error\): /,
    );
    expect((failure as Error).message).not.toContain(stand.token);
    expect(waits).toHaveLength(2);
    expect(stand.evidence.listFiles("main")).toEqual(["README.md"]);
  });

  it("does not retry what cannot succeed: a missing repository, or a plain 403", async () => {
    const missing = new GitHubEvidenceStore(stand.octokit, {
      repository: "acme/nowhere",
      sleep: async () => {},
    });
    await expect(missing.append(reviewEvent(1))).rejects.toMatchObject({
      name: "EvidenceStoreError",
      attempts: 1,
      status: 404,
    });
    // A permission error (the App lacks contents: write) has no rate-limit headers.
    const forbidden: GitHubClient = {
      paginate: stand.octokit.paginate.bind(stand.octokit),
      request: async (route, parameters) => {
        if (route.startsWith("POST "))
          throw Object.assign(new Error("Resource not accessible by integration"), {
            status: 403,
            response: { headers: { "x-ratelimit-remaining": "4999" } },
          });
        return stand.octokit.request(route, parameters);
      },
    };
    const store403 = new GitHubEvidenceStore(forbidden, {
      repository: "acme/evidence",
      sleep: async () => {},
    });
    await expect(store403.append(reviewEvent(1))).rejects.toMatchObject({
      attempts: 1,
      status: 403,
      message: expect.stringContaining("Resource not accessible by integration"),
    });
  });

  it("refuses an invalid record without writing or retrying", async () => {
    const record = reviewEvent(1);
    record.content.action = "approved";
    await expect(store().append(record)).rejects.toMatchObject({
      name: "EvidenceRecordError",
      problems: [expect.stringMatching(/action/)],
    });
    expect(retries).toEqual([]);
    expect(stand.evidence.log("main")).toHaveLength(1);
  });

  it("refuses to extend a chain whose head file is broken", async () => {
    const s = store();
    await s.append(reviewEvent(1));
    stand.evidence.commit({ branch: "main", files: { "evidence/chain-head.json": "{ broken" } });
    await expect(s.append(reviewEvent(2))).rejects.toThrow(
      /evidence\/chain-head\.json at [0-9a-f]{40} cannot be read \(not valid JSON.*restore it from the git history/,
    );
  });

  it("starts the branch when it does not exist, and the repository when it is empty", async () => {
    const orphan = await store({ branch: "evidence" }).append(reviewEvent(1));
    expect(orphan.status).toBe("written");
    expect(stand.evidence.log("evidence")).toHaveLength(1); // no parent: a branch of its own
    expect(stand.evidence.listFiles("evidence")).toEqual([
      "evidence/README.md",
      "evidence/chain-head.json",
      "evidence/index/by-control/CHG-01.md",
      "evidence/index/by-control/CHG-01/2026-05.md",
      "evidence/index/by-period/2026-05.md",
      "evidence/index/by-repository/acme-cloud/platform.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-05.md",
      "evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml",
    ]);

    const empty = stand.gh.state.addRepository({ owner: "acme", name: "fresh", empty: true });
    const fresh = new GitHubEvidenceStore(stand.octokit, {
      repository: "acme/fresh",
      now: () => NOW,
      sleep: async () => {},
    });
    const results = await Promise.all([fresh.append(reviewEvent(1)), store().append(reviewEvent(2))]);
    expect(results[0].status).toBe("written");
    expect(empty.listFiles("main")).toEqual([
      "evidence/README.md",
      "evidence/chain-head.json",
      "evidence/index/by-control/CHG-01.md",
      "evidence/index/by-control/CHG-01/2026-05.md",
      "evidence/index/by-period/2026-05.md",
      "evidence/index/by-repository/acme-cloud/platform.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-05.md",
      "evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml",
    ]);
  });
});
