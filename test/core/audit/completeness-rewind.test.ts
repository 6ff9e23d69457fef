import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBranchHistories } from "../../../src/adapters/git-history.js";
import { checkCompleteness, recordedChanges } from "../../../src/core/audit/completeness.js";
import type { PendingRecord } from "../../../src/core/evidence/pending-record.js";
import {
  buildDirectPushRecord,
  commitsOfPushPayload,
  type Built,
} from "../../../src/core/evidence/records/index.js";
import type { EvidenceRecord, Repository } from "../../../src/core/model.js";
import type { LoadedFile } from "../../../src/core/source-file.js";
import { dayOf, gitAt, TEST_NOW } from "../../helpers/clock.js";
import { tempDir } from "../../helpers/temp-dir.js";

/**
 * A force push that rewinds a protected branch onto a pull request's merge commit, on a real git
 * repository: the rewind's record must not account for the merge commit, so that the pull
 * request's own record cannot be deleted unnoticed.
 */

const at = (days: number) => new Date(TEST_NOW.getTime() - days * 86_400_000);
const FROM = dayOf(at(10));
const TO = dayOf(TEST_NOW);
const DANA = { id: 3001, login: "dana", type: "User" as const };
const context = {
  deliveryId: "3c8a1f10-0b7e-11ef-9a0e-2f3b5c9d1e44",
  event: "push",
  recordedAt: at(1),
  controls: ["CHG-01"],
  sourceName: "test",
};

async function commitFile(dir: string, file: string, subject: string, when: Date) {
  await writeFile(join(dir, file), `${subject}\n`);
  const git = gitAt(dir, when);
  await git.add(file);
  await git.raw(["-c", "commit.gpgsign=false", "commit", "-q", "-m", subject]);
  return (await git.revparse(["HEAD"])).trim();
}

/**
 * origin's main: an initial commit, pull request #7 merged with a merge commit, a hotfix pushed
 * directly, then a force push back onto the merge commit. Returns the auditor's fresh clone.
 */
async function rewoundRepository() {
  const root = await tempDir();
  const origin = join(root, "origin.git");
  const work = join(root, "work");
  await gitAt(root, at(9)).raw(["init", "-q", "--bare", "-b", "main", origin]);
  await gitAt(root, at(9)).raw(["clone", "-q", origin, work]);
  const git = (days: number) => gitAt(work, at(days));
  await git(9).raw(["config", "user.name", "Dana Dev"]);
  await git(9).raw(["config", "user.email", "dana@acme.example"]);
  await git(9).raw(["checkout", "-q", "-b", "main"]);
  const initial = await commitFile(work, "README.md", "Initial commit", at(9));
  await git(8).raw(["checkout", "-q", "-b", "feature"]);
  const feature = await commitFile(work, "feature.ts", "Add the feature", at(8));
  await git(7).raw(["checkout", "-q", "main"]);
  await git(7).raw([
    "-c",
    "commit.gpgsign=false",
    "merge",
    "-q",
    "--no-ff",
    "-m",
    "Merge pull request #7 from acme/feature",
    "feature",
  ]);
  const merge = (await git(7).revparse(["HEAD"])).trim();
  await git(7).raw(["push", "-q", "origin", "main"]);
  const hotfix = await commitFile(work, "hotfix.ts", "Hotfix straight to main", at(6));
  await git(6).raw(["push", "-q", "origin", "main"]);
  // The rewind: main goes back to the merge commit, and the hotfix leaves its history.
  await git(5).raw(["reset", "-q", "--hard", merge]);
  await git(5).raw(["push", "-q", "--force", "origin", "main"]);
  const clone = join(root, "clone");
  await gitAt(root, at(1)).raw(["clone", "-q", origin, clone]);
  return { clone, initial, feature, merge, hotfix };
}

function pushPayload(options: {
  before: string;
  after: string;
  forced: boolean;
  commits: Array<{ sha: string; message: string }>;
  pushedAt: Date;
}) {
  return {
    ref: "refs/heads/main",
    before: options.before,
    after: options.after,
    forced: options.forced,
    deleted: false,
    repository: {
      id: 1,
      full_name: "acme/api",
      pushed_at: Math.floor(options.pushedAt.getTime() / 1000),
    },
    sender: DANA,
    pusher: { name: "dana", email: "dana@acme.example" },
    commits: options.commits.map((c) => ({
      id: c.sha,
      message: c.message,
      author: { name: "Dana Dev", email: "dana@acme.example", username: "dana" },
      committer: { name: "Dana Dev", email: "dana@acme.example", username: "dana" },
    })),
  };
}

function pending(built: Built): PendingRecord {
  if ("skip" in built) throw new Error(`skipped: ${built.skip}`);
  return built.record;
}

const loaded = (record: PendingRecord): EvidenceRecord => ({
  file: { path: `evidence/${record.id}.yml` } as LoadedFile,
  id: record.id,
  kind: record.kind,
  controls: [...record.controls],
  recordedAt: record.recorded_at,
  content: record.content,
  chained: true,
});

/** Pull request #7's change record, reduced to what completeness reads. */
function pullRequestRecord(merge: string, feature: string): EvidenceRecord {
  return {
    file: { path: "evidence/changes/acme/api/pr-7.yml" } as LoadedFile,
    id: "changes/acme/api/pr-7",
    kind: "change-record",
    controls: ["CHG-01"],
    recordedAt: at(7).toISOString(),
    chained: true,
    content: {
      repository: { id: 1, full_name: "acme/api" },
      change: {
        type: "pull-request",
        number: 7,
        base_ref: "main",
        merged_sha: merge,
        merged_at: at(7).toISOString(),
        merge_method: "merge",
      },
      commits: [{ sha: feature, message: "Add the feature", author: { name: "Dana Dev" } }],
      reviews: [],
      checks: [],
      verdict: { result: "pass", evaluated_at: at(7).toISOString(), rules: [] },
    },
  };
}

describe("a force push that rewinds a protected branch onto a merge commit", () => {
  it("claims no commit, so deleting the pull request's record leaves the merge commit unaccounted for", async () => {
    const repo = await rewoundRepository();
    const hotfixPayload = pushPayload({
      before: repo.merge,
      after: repo.hotfix,
      forced: false,
      commits: [{ sha: repo.hotfix, message: "Hotfix straight to main" }],
      pushedAt: at(6),
    });
    const hotfixPush = buildDirectPushRecord(
      { payload: hotfixPayload, commits: commitsOfPushPayload(hotfixPayload) },
      context,
    );
    // GitHub lists no commit for a push that only moves the branch back.
    const rewind = pending(
      buildDirectPushRecord(
        {
          payload: pushPayload({
            before: repo.hotfix,
            after: repo.merge,
            forced: true,
            commits: [],
            pushedAt: at(5),
          }),
          commits: [],
        },
        context,
      ),
    );
    expect(rewind.content).toMatchObject({
      change: { type: "direct-push", head_sha: repo.merge, merged_sha: "0".repeat(40) },
      commits: [],
      exception: { type: "direct-push", reason: expect.stringContaining("force-pushed") },
    });

    const histories = await readBranchHistories(
      { repository: "acme/api", path: repo.clone },
      ["main"],
      FROM,
    );
    expect(histories[0]!.commits.map((c) => c.sha)).toEqual([repo.merge, repo.initial]);
    const check = (records: EvidenceRecord[]) =>
      checkCompleteness({
        from: FROM,
        to: TO,
        histories,
        changes: recordedChanges({ controls: [], policies: [], evidence: records } as Repository),
      });

    const all = check([
      pullRequestRecord(repo.merge, repo.feature),
      loaded(pending(hotfixPush)),
      loaded(rewind),
    ]);
    expect(all.unaccounted.map((c) => c.sha)).toEqual([repo.initial]);
    // The merge commit belongs to the pull request's record, not to the rewind's exception.
    expect(all.branches[0]!.matches).toEqual([
      { sha: repo.merge, record: "changes/acme/api/pr-7", how: "merged-commit" },
    ]);

    // The pull request's record deleted: the rewind does not stand in for it.
    const withoutPr = check([loaded(pending(hotfixPush)), loaded(rewind)]);
    expect(withoutPr.unaccounted.map((c) => c.sha)).toEqual([repo.merge, repo.initial]);
    expect(withoutPr.complete).toBe(false);
  });

  it("does not let an older rewind record, which names the merge commit as merged_sha, account for it", async () => {
    const repo = await rewoundRepository();
    // How the App wrote a rewind before it claimed only the commits a push brought.
    const old = pending(
      buildDirectPushRecord(
        {
          payload: pushPayload({
            before: repo.hotfix,
            after: repo.merge,
            forced: true,
            commits: [],
            pushedAt: at(5),
          }),
          commits: [],
        },
        context,
      ),
    );
    const content = old.content as { change: Record<string, unknown> };
    content.change.merged_sha = repo.merge;
    const histories = await readBranchHistories(
      { repository: "acme/api", path: repo.clone },
      ["main"],
      FROM,
    );
    const report = checkCompleteness({
      from: FROM,
      to: TO,
      histories,
      changes: recordedChanges({
        controls: [],
        policies: [],
        evidence: [loaded(old)],
      } as Repository),
    });
    expect(report.unaccounted.map((c) => c.sha)).toEqual([repo.merge, repo.initial]);
    expect(report.branches[0]!.recordsNotInHistory).toEqual([]);
  });
});
