import { describe, expect, it } from "vitest";
import {
  checkCompleteness,
  CompletenessMatcher,
  recordedChanges,
  renderCompletenessText,
  type BranchCommit,
  type BranchHistory,
} from "../../../src/core/audit/completeness.js";
import type { EvidenceRecord, Repository } from "../../../src/core/model.js";
import type { LoadedFile } from "../../../src/core/source-file.js";
import { shuffled } from "../../helpers/seeded.js";

const sha = (n: number) => n.toString(16).padStart(40, "0");

/** A change record as the App writes it, reduced to what completeness reads. */
function changeRecord(options: {
  id: string;
  repository?: string;
  type?: "pull-request" | "direct-push";
  mergedSha: string;
  mergedAt: string;
  mergeMethod?: string;
  commits?: Array<{ sha: string; message?: string }>;
  exception?: { type: string; reason: string };
}): EvidenceRecord {
  const content = {
    repository: { id: 1, full_name: options.repository ?? "acme/api" },
    change: {
      type: options.type ?? "pull-request",
      base_ref: "main",
      merged_sha: options.mergedSha,
      merged_at: options.mergedAt,
      merge_method: options.mergeMethod ?? "squash",
    },
    commits: (options.commits ?? []).map((c) => ({
      sha: c.sha,
      ...(c.message ? { message: c.message } : {}),
      author: { name: "Dev" },
      committer: { name: "Dev" },
    })),
    reviews: [],
    checks: [],
    verdict: {
      result: options.exception ? "fail" : "pass",
      evaluated_at: options.mergedAt,
      rules: [],
    },
    ...(options.exception ? { exception: options.exception } : {}),
  };
  return {
    file: { path: `evidence/${options.id}.yml` } as LoadedFile,
    id: options.id,
    kind: "change-record",
    controls: ["CHG-01"],
    recordedAt: options.mergedAt,
    content,
  };
}

const repo = (records: EvidenceRecord[]): Repository => ({
  controls: [],
  policies: [],
  evidence: records,
});

const commit = (n: number, day: string, subject: string): BranchCommit => ({
  sha: sha(n),
  committedAt: `${day}T12:00:00Z`,
  author: "Dev",
  authorEmail: "dev@example.com",
  subject,
});

/**
 * The product repository's main, newest first: a squash merge, a merge commit, a rebase of three
 * commits, a direct push of two, one commit nobody recorded, and history before the period.
 */
const main: BranchHistory = {
  repository: "acme/api",
  branch: "main",
  ref: "refs/remotes/origin/main",
  commits: [
    commit(20, "2026-04-02", "After the period"),
    commit(19, "2026-03-30", "Sneak a change in"),
    commit(18, "2026-03-25", "Push fix two"),
    commit(17, "2026-03-25", "Push fix one"),
    commit(16, "2026-03-20", "Rebase part three"),
    commit(15, "2026-03-20", "Rebase part two"),
    commit(14, "2026-03-20", "Rebase part one"),
    commit(13, "2026-03-10", "Merge pull request #11 from acme/feature"),
    commit(12, "2026-03-02", "Add export (#10)"),
    commit(11, "2026-02-27", "Before the period"),
  ],
};

const evidence = repo([
  changeRecord({
    id: "changes/acme/api/2026/03/pr-10",
    mergedSha: sha(12),
    mergedAt: "2026-03-02T12:00:00Z",
    commits: [{ sha: sha(100), message: "WIP" }],
  }),
  changeRecord({
    id: "changes/acme/api/2026/03/pr-11",
    mergedSha: sha(13),
    mergedAt: "2026-03-10T12:00:00Z",
    mergeMethod: "merge",
    commits: [{ sha: sha(101), message: "Feature" }],
    exception: { type: "bypass", reason: "merged without approval" },
  }),
  // GitHub rewrote the three commits when it rebased them: only the last (the merged commit) has a
  // SHA in the record; the others are tied by position and subject.
  changeRecord({
    id: "changes/acme/api/2026/03/pr-12",
    mergedSha: sha(16),
    mergedAt: "2026-03-20T12:00:00Z",
    mergeMethod: "rebase",
    commits: [
      { sha: sha(201), message: "Rebase part one\n\nbody" },
      { sha: sha(202), message: "Rebase part two" },
      { sha: sha(203), message: "Rebase part three" },
    ],
  }),
  changeRecord({
    id: "changes/acme/api/2026/03/push-0000000000000000000000000000000000000012",
    type: "direct-push",
    mergedSha: sha(18),
    mergedAt: "2026-03-25T12:00:00Z",
    mergeMethod: "push",
    commits: [{ sha: sha(17) }, { sha: sha(18) }],
    exception: { type: "direct-push", reason: "pushed to main without a pull request" },
  }),
  // Another repository's record never accounts for acme/api's commits, even with the same SHA.
  changeRecord({
    id: "changes/acme/web/2026/03/pr-1",
    repository: "acme/web",
    mergedSha: sha(19),
    mergedAt: "2026-03-30T12:00:00Z",
  }),
]);

describe("checkCompleteness", () => {
  const report = checkCompleteness({
    from: "2026-03-01",
    to: "2026-03-31",
    histories: [main],
    changes: recordedChanges(evidence),
    expectedRepositories: ["acme/api", "acme/web"],
  });

  it("ties squash, merge, rebase and push commits to their records, and names the one left over", () => {
    expect(report.totals).toEqual({ commits: 8, recorded: 4, exceptions: 3, unaccounted: 1 });
    expect(report.complete).toBe(false);
    expect(report.unaccounted).toEqual([
      {
        repository: "acme/api",
        branch: "main",
        sha: sha(19),
        committedAt: "2026-03-30T12:00:00Z",
        author: "Dev",
        authorEmail: "dev@example.com",
        subject: "Sneak a change in",
      },
    ]);
    const how = Object.fromEntries(report.branches[0]!.matches.map((m) => [m.sha, m.how]));
    expect(how).toEqual({
      [sha(18)]: "merged-commit",
      [sha(17)]: "listed-commit",
      [sha(16)]: "merged-commit",
      [sha(15)]: "rebased-commit",
      [sha(14)]: "rebased-commit",
      [sha(13)]: "merged-commit",
      [sha(12)]: "merged-commit",
    });
    const exceptions = report.branches[0]!.matches.filter((m) => m.exception);
    expect(exceptions.map((m) => m.exception).sort()).toEqual([
      "bypass",
      "direct-push",
      "direct-push",
    ]);
  });

  it("counts only the period's commits, and says which repositories were not checked", () => {
    expect(report.branches[0]!.commits).toBe(8);
    expect(report.notChecked).toEqual(["acme/web"]);
  });

  it("is complete once the stray commit is recorded", () => {
    const fixed = checkCompleteness({
      from: "2026-03-01",
      to: "2026-03-31",
      histories: [main],
      changes: recordedChanges(
        repo([
          ...evidence.evidence,
          changeRecord({
            id: "changes/acme/api/2026/03/push-19",
            type: "direct-push",
            mergedSha: sha(19),
            mergedAt: "2026-03-30T12:00:00Z",
            mergeMethod: "push",
            commits: [{ sha: sha(19) }],
            exception: { type: "direct-push", reason: "pushed" },
          }),
        ]),
      ),
    });
    expect(fixed.complete).toBe(true);
    expect(fixed.totals.unaccounted).toBe(0);
    expect(renderCompletenessText(fixed)).toMatch(/✓ every commit in the period is tied/);
  });

  it("does not stretch a rebase over commits whose subjects differ", () => {
    const history: BranchHistory = {
      ...main,
      commits: [
        commit(16, "2026-03-20", "Rebase part three"),
        commit(30, "2026-03-20", "Something else"),
        commit(14, "2026-03-20", "Rebase part one"),
      ],
    };
    const r = checkCompleteness({
      from: "2026-03-01",
      to: "2026-03-31",
      histories: [history],
      changes: recordedChanges(evidence),
    });
    expect(r.unaccounted.map((c) => c.sha)).toEqual([sha(30), sha(14)]);
  });

  it("notes records of the period whose merged commit is not in the clone (a stale clone)", () => {
    const stale: BranchHistory = { ...main, commits: main.commits.slice(5) };
    const r = checkCompleteness({
      from: "2026-03-01",
      to: "2026-03-31",
      histories: [stale],
      changes: recordedChanges(evidence),
    });
    expect(r.branches[0]!.recordsNotInHistory).toEqual([
      "changes/acme/api/2026/03/pr-12",
      "changes/acme/api/2026/03/push-0000000000000000000000000000000000000012",
    ]);
    expect(renderCompletenessText(r)).toMatch(/not in this clone/);
  });

  it("renders counts and each unaccounted commit with its SHA, date, author and subject", () => {
    const text = renderCompletenessText(report);
    expect(text).toContain(
      "8 commit(s) on 1 protected branch(es); 4 tied to a recorded change, 3 to a recorded exception, 1 unaccounted for",
    );
    expect(text).toContain(
      `✗ ${sha(19)} 2026-03-30T12:00:00Z Dev <dev@example.com>: Sneak a change in`,
    );
    expect(text).toContain("not checked (no --history given): acme/web");
  });

  it("reaches the same report whatever order the records stream in", () => {
    // Two more records claim commits others claim: merge order decides, not arrival order.
    const contested = [
      ...evidence.evidence,
      changeRecord({
        id: "changes/acme/api/2026/03/pr-13",
        mergedSha: sha(13),
        mergedAt: "2026-03-11T12:00:00Z",
        mergeMethod: "merge",
        commits: [{ sha: sha(101) }],
      }),
      changeRecord({
        id: "changes/acme/api/2026/03/pr-0",
        mergedSha: sha(90),
        mergedAt: "2026-03-01T00:00:00Z",
        commits: [{ sha: sha(17) }],
      }),
    ];
    const changes = recordedChanges({ ...evidence, evidence: contested });
    const input = { from: "2026-03-01", to: "2026-03-31", histories: [main] };
    const inMergeOrder = checkCompleteness({ ...input, changes });
    for (let seed = 1; seed <= 20; seed++) {
      const matcher = new CompletenessMatcher(input);
      for (const change of shuffled(changes, seed)) matcher.add(change);
      expect(matcher.finish()).toEqual(inMergeOrder);
    }
    // The later merge claims the merge commit; the earlier record, the commit both list.
    const matches = new Map(inMergeOrder.branches[0]!.matches.map((m) => [m.sha, m.record]));
    expect(matches.get(sha(13))).toBe("changes/acme/api/2026/03/pr-13");
    expect(matches.get(sha(17))).toBe("changes/acme/api/2026/03/pr-0");
  });

  it("keeps terminal escapes in commit subjects out of the text", () => {
    const r = checkCompleteness({
      from: "2026-03-01",
      to: "2026-03-31",
      histories: [{ ...main, commits: [commit(40, "2026-03-05", "evil \u001b[2J subject")] }],
      changes: [],
    });
    expect(renderCompletenessText(r)).not.toContain("\u001b");
  });
});
