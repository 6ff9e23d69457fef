import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitEvidenceStore, type GitEvidenceStoreOptions } from "../../../src/adapters/evidence/git-store.js";
import { readEvidenceChain } from "../../../src/adapters/evidence/read-chain.js";
import type { RetryEvent } from "../../../src/adapters/evidence/retry.js";
import { verifyChain } from "../../../src/core/evidence/index.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { reviewEvent } from "../../core/evidence/samples.js";

const AUTHOR = { name: "soc2-as-code App", email: "evidence@soc2-as-code.invalid" };
const PATH_1 = "evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Someone",
      GIT_AUTHOR_EMAIL: "someone@example.com",
      GIT_COMMITTER_NAME: "Someone",
      GIT_COMMITTER_EMAIL: "someone@example.com",
    },
  })
    .toString()
    .trim();
}

function store(dir: string, options: Partial<GitEvidenceStoreOptions> = {}) {
  return new GitEvidenceStore({ dir, author: AUTHOR, baseDelayMs: 5, ...options });
}

describe("GitEvidenceStore on a local repository", () => {
  it("creates the repository and commits the record with the chain head", async () => {
    const dir = join(await tempDir(), "evidence-repo");
    const result = await store(dir).append(reviewEvent(1));
    expect(result).toEqual({
      status: "written",
      path: PATH_1,
      commit: git(dir, "rev-parse", "HEAD"),
      sequence: 1,
    });
    expect(git(dir, "symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(git(dir, "log", "--format=%an <%ae>|%cn|%s")).toBe(
      "soc2-as-code App <evidence@soc2-as-code.invalid>|soc2-as-code App|evidence: review-event reviews/acme-cloud/platform/2026/05/pr-42-review-1",
    );
    // The record, the head and the evidence indexes, in one commit.
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").split("\n")).toEqual([
      "evidence/README.md",
      "evidence/chain-head.json",
      "evidence/index/by-control/CHG-01.md",
      expect.stringMatching(/^evidence\/index\/by-control\/CHG-01\/\d{4}-\d{2}\.md$/),
      expect.stringMatching(/^evidence\/index\/by-period\/\d{4}-\d{2}\.md$/),
      "evidence/index/by-repository/acme-cloud/platform.md",
      expect.stringMatching(/^evidence\/index\/by-repository\/acme-cloud\/platform\/\d{4}-\d{2}\.md$/),
      PATH_1,
    ]);
    expect(git(dir, "status", "--porcelain")).toBe(""); // the working tree is the commit
    expect(await readFile(join(dir, PATH_1), "utf8")).toMatch(/^# yaml-language-server: \$schema=/);
    // The lock is gone once the append is over.
    expect(existsSync(join(dir, ".git", "soc2-evidence.lock"))).toBe(false);
  });

  it("is idempotent, and chains concurrent appends in one process", async () => {
    const dir = await tempDir();
    const s = store(dir);
    const results = await Promise.all([
      ...[1, 2, 3, 4, 5, 6].map((n) => s.append(reviewEvent(n))),
      s.append(reviewEvent(1)),
      s.append(reviewEvent(1)),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      ...Array<string>(6).fill("written"),
      "exists",
      "exists",
    ]);
    expect(results.slice(0, 6).map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    // Group commit: the first record alone, the five that arrived meanwhile in one commit.
    expect(git(dir, "rev-list", "--count", "HEAD")).toBe("2");
    expect(git(dir, "log", "-1", "--format=%s")).toBe("evidence: 5 records, sequence 2 to 6");
    const report = verifyChain(await readEvidenceChain(dir));
    expect(report.findings).toEqual([]);
    expect(report.chained).toBe(6);
  });

  it("keeps two stores on one repository apart with the lock file", async () => {
    const dir = await tempDir();
    const a = store(dir);
    const b = store(dir);
    const results = await Promise.all(
      [1, 2, 3, 4].flatMap((n) => [a.append(reviewEvent(n)), b.append(reviewEvent(10 + n))]),
    );
    expect(results.every((r) => r.status === "written")).toBe(true);
    const report = verifyChain(await readEvidenceChain(dir));
    expect(report.findings).toEqual([]);
    expect(report.chained).toBe(8);
    // And the same record from both: one of it.
    const same = await Promise.all([a.append(reviewEvent(20)), b.append(reviewEvent(20))]);
    expect(same.map((r) => r.status).sort()).toEqual(["exists", "written"]);
  });

  it("waits for a lock held by another writer, takes over a stale one, and says when it gives up", async () => {
    const dir = await tempDir();
    await store(dir).append(reviewEvent(1));
    const lock = join(dir, ".git", "soc2-evidence.lock");

    await writeFile(lock, "4242@elsewhere\n");
    const waiting = store(dir).append(reviewEvent(2));
    await new Promise((r) => setTimeout(r, 200));
    expect(git(dir, "rev-list", "--count", "HEAD")).toBe("1");
    await unlink(lock);
    expect((await waiting).status).toBe("written");

    // A lock that nobody refreshes while the store watches it is a crashed writer's: taken over.
    await writeFile(lock, "4242@crashed\n");
    expect((await store(dir, { lockStaleMs: 150 }).append(reviewEvent(3))).status).toBe("written");
    expect(existsSync(lock)).toBe(false);

    await writeFile(lock, "4242@busy\n");
    await expect(store(dir, { lockTimeoutMs: 150 }).append(reviewEvent(4))).rejects.toThrow(
      /soc2-evidence\.lock has been held by another writer \(4242@busy\) for more than 0 s: if no writer is running, delete it/,
    );
    expect((await stat(lock)).isFile()).toBe(true); // not ours to remove
  });

  it("refuses an invalid record and does not touch the repository", async () => {
    const dir = await tempDir();
    const record = reviewEvent(1);
    record.content.action = "approved";
    await expect(store(dir).append(record)).rejects.toMatchObject({ name: "EvidenceRecordError" });
    expect(git(dir, "rev-list", "--all", "--count")).toBe("0");
  });
});

describe("GitEvidenceStore with a remote", () => {
  async function bareRemote(options: { slowReceive?: boolean } = {}): Promise<string> {
    const remote = join(await tempDir(), "remote.git");
    execFileSync("git", ["init", "--quiet", "--bare", "-b", "main", remote]);
    if (options.slowReceive) {
      // Holds each push a moment before it updates the branch, so that two pushes overlap.
      const hook = join(remote, "hooks", "pre-receive");
      await writeFile(hook, "#!/bin/sh\ncat >/dev/null\nsleep 0.2\n", { mode: 0o755 });
    }
    return remote;
  }

  it("pushes each record, starting the branch on an empty remote", async () => {
    const remote = await bareRemote();
    const dir = await tempDir();
    const result = await store(dir, { remote }).append(reviewEvent(1));
    expect(result.status).toBe("written");
    expect(git(remote, "rev-parse", "main")).toBe(result.commit);
    expect(git(remote, "ls-tree", "-r", "--name-only", "main").split("\n")).toEqual([
      "evidence/README.md",
      "evidence/chain-head.json",
      "evidence/index/by-control/CHG-01.md",
      expect.stringMatching(/^evidence\/index\/by-control\/CHG-01\/\d{4}-\d{2}\.md$/),
      expect.stringMatching(/^evidence\/index\/by-period\/\d{4}-\d{2}\.md$/),
      "evidence/index/by-repository/acme-cloud/platform.md",
      expect.stringMatching(/^evidence\/index\/by-repository\/acme-cloud\/platform\/\d{4}-\d{2}\.md$/),
      PATH_1,
    ]);
  });

  it("answers each record of a batch only once its commit is on the remote", async () => {
    const remote = await bareRemote();
    const dir = await tempDir();
    const s = store(dir, { remote });
    const pushedWhenAnswered: boolean[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        s.append(reviewEvent(n)).then((result) => {
          // The remote's branch holds the commit (or a later one) at the moment the caller hears.
          const onRemote = git(remote, "ls-tree", "-r", "--name-only", "main").split("\n");
          pushedWhenAnswered.push(onRemote.includes(result.path) && result.status === "written");
        }),
      ),
    );
    expect(pushedWhenAnswered).toEqual([true, true, true, true, true]);
    expect(git(remote, "rev-list", "--count", "main")).toBe("2"); // one record, then four together
    const clone = await tempDir();
    git(clone, "clone", "--quiet", remote, ".");
    expect(verifyChain(await readEvidenceChain(clone))).toMatchObject({ ok: true, chained: 5 });
  });

  it("two stores on two clones: a rejected push is retried on the remote's new tip", async () => {
    const remote = await bareRemote({ slowReceive: true });
    const retries: RetryEvent[] = [];
    const onRetry = (event: RetryEvent) => retries.push(event);
    const a = store(await tempDir(), { remote, onRetry });
    const b = store(await tempDir(), { remote, onRetry });
    const results = await Promise.all(
      [1, 2, 3].flatMap((n) => [a.append(reviewEvent(n)), b.append(reviewEvent(10 + n))]),
    );
    expect(results.every((r) => r.status === "written")).toBe(true);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toMatchObject({
      reason: "conflict",
      detail: expect.stringMatching(/the push to the remote failed: .*(rejected|fetch first|failed to update ref|cannot lock ref)/),
    });
    // What the remote holds is one contiguous chain of all six.
    const check = await tempDir();
    execFileSync("git", ["clone", "--quiet", remote, check]);
    const report = verifyChain(await readEvidenceChain(check));
    expect(report.findings).toEqual([]);
    expect(report.chained).toBe(6);
    // The same record from both clones: one of it. Either one clone finds it pushed already, or
    // both built the very same commit (same tip, same second), and pushing it twice leaves one.
    const same = await Promise.all([a.append(reviewEvent(30)), b.append(reviewEvent(30))]);
    if (same.every((r) => r.status === "written")) expect(same[0]!.commit).toBe(same[1]!.commit);
    else expect(same.map((r) => r.status).sort()).toEqual(["exists", "written"]);
    execFileSync("git", ["-C", check, "pull", "--quiet", "--ff-only"]);
    expect(verifyChain(await readEvidenceChain(check))).toMatchObject({ ok: true, chained: 7 });
  });

  it("throws an error that names the remote when the push keeps failing", async () => {
    const remote = await bareRemote();
    await writeFile(join(remote, "hooks", "pre-receive"), "#!/bin/sh\necho 'protected branch' >&2\nexit 1\n", {
      mode: 0o755,
    });
    const failure = store(await tempDir(), { remote, maxAttempts: 2 }).append(reviewEvent(1));
    await expect(failure).rejects.toMatchObject({
      name: "EvidenceStoreError",
      attempts: 2,
      message: expect.stringContaining(`in ${remote}@main: gave up after 2 attempts (conflict)`),
    });
  });
});

describe("readEvidenceChain and verifyChain on a repository the store wrote", () => {
  async function written(): Promise<string> {
    const dir = await tempDir();
    const s = store(dir);
    for (let n = 1; n <= 4; n++) await s.append(reviewEvent(n));
    return dir;
  }
  const path = (n: number) => `evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-${n}.yml`;
  const problems = async (dir: string) =>
    verifyChain(await readEvidenceChain(dir)).findings.map((f) => `${f.problem} ${f.path}`);

  it("reads records, the head and when each record was committed", async () => {
    const dir = await written();
    const input = await readEvidenceChain(dir);
    expect(input.records.map((r) => r.path)).toEqual([1, 2, 3, 4].map(path));
    expect(input.records[0]).toMatchObject({
      addedIn: expect.stringMatching(/^[0-9a-f]{40}$/),
      addedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(input.history).toEqual([]);
    expect(verifyChain(input).ok).toBe(true);
  });

  it("names an edited record, even once the edit is committed", async () => {
    const dir = await written();
    const file = join(dir, path(2));
    await writeFile(file, (await readFile(file, "utf8")).replace("state: APPROVED", "state: COMMENTED"));
    expect(await problems(dir)).toEqual([`digest-mismatch ${path(2)}`, `link-mismatch ${path(2)}`]);
    git(dir, "commit", "--quiet", "-am", "fix typo");
    expect(await problems(dir)).toEqual([
      `digest-mismatch ${path(2)}`,
      `link-mismatch ${path(2)}`,
      `record-modified ${path(2)}`,
    ]);
  });

  it("names a deleted record", async () => {
    const dir = await written();
    git(dir, "rm", "--quiet", path(3));
    git(dir, "commit", "--quiet", "-m", "remove");
    expect(await problems(dir)).toEqual([`record-deleted ${path(3)}`, `sequence-missing ${path(4)}`]);
  });

  it("names a back-dated record", async () => {
    const dir = await written();
    const file = join(dir, path(4));
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace(/recorded_at: "[^"]+"/, 'recorded_at: "2026-01-01T00:00:00Z"'));
    expect(await problems(dir)).toEqual([
      "head-mismatch evidence/chain-head.json",
      `committed-after-recorded ${path(4)}`,
      `out-of-order ${path(4)}`,
    ]);
  });

  it("works without git history too", async () => {
    const dir = await written();
    const input = await readEvidenceChain(dir, { history: false });
    expect(input.history).toBeUndefined();
    expect(input.records[0]!.addedAt).toBeUndefined();
    expect(verifyChain(input).ok).toBe(true);
  });
});
