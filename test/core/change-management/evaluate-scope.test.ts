// What the rules apply to and how the verdict is put together: base branch, retargeting, forks,
// truncated facts, emergencies, bypasses and determinism.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/change-management/evaluate.js";
import type { PullRequestFacts } from "../../../src/core/change-management/facts.js";
import { RULE_IDS } from "../../../src/core/change-management/verdict.js";
import {
  alice,
  approve,
  bob,
  carol,
  checkRun,
  commit,
  facts,
  HEAD,
  NOW,
  policy,
  requestChanges,
  sha,
} from "./builder.js";
import { expectCase, run, ruleOf, type Case } from "./evaluate-cases.js";

const approved = { reviews: [approve(bob)] };
const emergencyPolicy = policy({ emergency: { label: "emergency-change" } });

const cases: Case[] = [
  {
    name: "base retargeted to an unprotected branch: every rule skipped, and the verdict says why",
    facts: facts({ base: { ref: "develop", sha: sha("develop") } }),
    result: "pass",
    rules: { "base-branch": "skipped", "required-approvals": "skipped" },
    reasons: {
      "base-branch":
        /targets develop, which is not a protected branch \(branches: main\): the change-management rules do not apply/,
    },
  },
  {
    name: "branches are glob patterns",
    facts: facts({ base: { ref: "release/2026.05", sha: sha("release") } }),
    policy: policy({ branches: ["main", "release/*"] }),
    result: "fail",
    rules: { "base-branch": "pass" },
  },
  {
    name: "base retargeted to main after the approval: the approval is stale",
    facts: facts({
      reviews: [approve(bob, { at: "2026-05-01T09:30:00Z" })],
      base: { ref: "main", sha: sha("base"), changed_at: "2026-05-01T10:00:00Z" },
    }),
    result: "fail",
    rules: { "approval-on-head": "fail" },
    reasons: { "approval-on-head": /bob approved before the pull request was retargeted to main/ },
  },
  {
    name: "an approval after the retargeting counts",
    facts: facts({
      reviews: [approve(bob, { at: "2026-05-01T10:30:00Z" })],
      base: { ref: "main", sha: sha("base"), changed_at: "2026-05-01T10:00:00Z" },
    }),
    result: "pass",
  },
  {
    name: "more than 250 commits: the list is truncated, so the evaluator fails closed",
    facts: facts({
      ...approved,
      commits: Array.from({ length: 250 }, (_, i) => commit(i === 249 ? "head" : `c${i}`, alice)),
      commits_complete: false,
      commit_count: 312,
    }),
    result: "fail",
    rules: { "facts-complete": "fail" },
    reasons: { "facts-complete": /GitHub listed only 250 of its 312 commits.*split the change/ },
  },
  {
    name: "more than 3,000 files: the list is truncated, so the evaluator fails closed",
    facts: facts({ ...approved, changed_files_complete: false }),
    result: "fail",
    rules: { "facts-complete": "fail" },
  },
  {
    name: "emergency label: passes with an exception although rules fail",
    facts: facts({ labels: ["Emergency-Change"], checks: [] }),
    policy: emergencyPolicy,
    result: "pass",
    rules: {
      "required-approvals": "fail",
      "required-checks": "pending",
      "emergency-change": "pass",
    },
    reasons: {
      "emergency-change":
        /labelled emergency-change: let through as an emergency although required-approvals \(failed\) and required-checks \(pending\)\. A retrospective review is due by 2026-05-03T12:00:00.000Z/,
    },
  },
  {
    name: "emergency label with every rule passing: no exception needed",
    facts: facts({ ...approved, labels: ["emergency-change"] }),
    policy: emergencyPolicy,
    result: "pass",
    reasons: { "emergency-change": /no exception needed/ },
  },
  {
    name: "an emergency label the policy does not define does nothing",
    facts: facts({ labels: ["emergency-change"] }),
    result: "fail",
    rules: { "emergency-change": "skipped" },
  },
  {
    name: "no emergency label: the emergency rule is skipped",
    facts: facts({ ...approved }),
    policy: emergencyPolicy,
    result: "pass",
    rules: { "emergency-change": "skipped" },
    reasons: { "emergency-change": /not labelled emergency-change/ },
  },
];

describe("evaluate: scope and verdict", () => {
  it.each(cases)("$name", (c) => void expectCase(c));

  it("records an emergency exception with the retrospective review due after the policy's hours", () => {
    const verdict = run(
      facts({ labels: ["emergency-change"] }),
      policy({ emergency: { label: "emergency-change", retrospective_review_hours: 24 } }),
    );
    expect(verdict.exception).toEqual({
      type: "emergency",
      reason:
        "emergency change (labelled emergency-change) let through although required-approvals (failed)",
      retrospective_review_due: "2026-05-02T12:00:00.000Z",
    });
  });

  it("surfaces a merge that did not pass as a bypass exception", () => {
    const verdict = run(
      facts({ merged: { by: carol, at: "2026-05-01T11:00:00Z", commit_sha: sha("merge") } }),
    );
    expect(verdict.result).toBe("fail");
    expect(verdict.exception).toEqual({
      type: "bypass",
      reason: "merged by carol at 2026-05-01T11:00:00Z although required-approvals had not passed",
    });
  });

  it("evaluates a pull request from a fork exactly like one from a branch", () => {
    const own = facts({ ...approved });
    const fork = facts({
      ...approved,
      head: { ref: "main", sha: HEAD, repo_full_name: "mallory/platform" },
    });
    const strip = (f: PullRequestFacts) => ({ ...run(f), facts_digest: "" });
    expect(strip(fork)).toEqual(strip(own));
  });

  it("lists every rule, in a fixed order", () => {
    expect(run(facts()).rules.map((r) => r.rule)).toEqual([...RULE_IDS]);
    expect(run(facts({ base: { ref: "x", sha: sha("x") } })).rules.map((r) => r.rule)).toEqual([
      ...RULE_IDS,
    ]);
  });

  it("is deterministic: the same facts in any order give the same verdict JSON", () => {
    const p = policy({ required_approvals: 2, path_rules: [{ name: "Src", paths: ["src/**"] }] });
    const reviews = [approve(bob), approve(alice), requestChanges(carol), approve(carol)];
    const checks = [checkRun("validate", "success"), checkRun("lint", "success")];
    const files = [
      { path: "src/a.ts", status: "modified" as const },
      { path: "docs/b.md", status: "added" as const },
    ];
    const forward = facts({ reviews, checks, changed_files: files });
    const backward = facts({
      reviews: [...reviews].reverse(),
      checks: [...checks].reverse(),
      changed_files: [...files].reverse(),
    });
    const a = evaluate(forward, p, { now: NOW });
    const b = evaluate(backward, p, { now: NOW });
    expect(JSON.stringify({ ...b, facts_digest: "" })).toBe(
      JSON.stringify({ ...a, facts_digest: "" }),
    );
    expect(JSON.stringify(evaluate(forward, p, { now: NOW }))).toBe(JSON.stringify(a));
  });

  it("records the policy and facts digests, so a re-run can be matched to its inputs", () => {
    const verdict = run(facts({ ...approved }));
    expect(verdict.policy_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(verdict.facts_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run(facts({ ...approved }), policy({ required_approvals: 2 })).policy_digest).not.toBe(
      verdict.policy_digest,
    );
  });

  it("does not change the facts or the policy it is given", () => {
    const f = facts({ ...approved });
    const p = policy();
    const before = JSON.stringify([f, p]);
    run(f, p);
    expect(JSON.stringify([f, p])).toBe(before);
  });

  it("says evaluated_at is the moment it was given", () => {
    expect(run(facts()).evaluated_at).toBe(NOW.toISOString());
    expect(ruleOf(run(facts()), "base-branch").result).toBe("pass");
  });
});
