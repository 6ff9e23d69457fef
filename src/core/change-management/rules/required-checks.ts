import type { Evaluation } from "../evaluation.js";
import type { Check } from "../facts.js";
import { listOf, shortSha } from "../identity.js";
import { ALL_CHANGES } from "../requirements.js";
import type { RuleOutcome, RuleResult } from "../verdict.js";

type CheckOutcome = Exclude<RuleOutcome, "skipped">;

/**
 * The required checks (top-level plus those of matching path rules) must have succeeded on the
 * commit being merged: the head, or for a merge queue the merge-group commit. A check on another
 * commit says nothing about this one. Missing or still running: pending; failed: fail. As in
 * GitHub's branch protection, neutral and skipped check runs count as passed.
 */
export function requiredChecks(evaluation: Evaluation): RuleResult {
  const { facts, groups } = evaluation;
  const requiredBy = new Map<string, string[]>();
  for (const group of groups)
    for (const name of group.required_checks)
      requiredBy.set(name, [...(requiredBy.get(name) ?? []), group.name]);
  if (requiredBy.size === 0) {
    return {
      rule: "required-checks",
      result: "skipped",
      reason: "the policy requires no checks",
    };
  }
  const target = facts.merge_group?.head_sha ?? facts.head.sha;
  const where = facts.merge_group
    ? `the merge-group commit ${shortSha(target)}`
    : `the head ${shortSha(target)}`;
  const results = [...requiredBy.keys()].sort().map((name) => {
    const onTarget = facts.checks.filter((c) => c.name === name && c.sha === target);
    const outcomes = onTarget.map(outcomeOf);
    // Adapters send the latest run per name; if several remain, the worst one decides.
    const worst = outcomes.find((o) => o.outcome === "fail") ??
      outcomes.find((o) => o.outcome === "pending") ??
      outcomes[0] ?? {
        outcome: "pending" as const,
        state: facts.checks.some((c) => c.name === name)
          ? "has run only on other commits"
          : "has not reported yet",
      };
    const scope = requiredBy.get(name)!.filter((g) => g !== ALL_CHANGES);
    return { name, ...worst, required_by: requiredBy.get(name)!, scope };
  });
  const failed = results.filter((r) => r.outcome === "fail");
  const pending = results.filter((r) => r.outcome === "pending");
  const describe = (r: (typeof results)[number]) =>
    `${r.name} ${r.state}${r.scope.length > 0 ? ` (required by ${listOf(r.scope)})` : ""}`;
  const details = {
    sha: target,
    checks: results.map((r) => ({ name: r.name, result: r.outcome, required_by: r.required_by })),
  };
  if (failed.length > 0) {
    return {
      rule: "required-checks",
      result: "fail",
      reason: `on ${where}: ${[...failed, ...pending].map(describe).join("; ")}. Fix the failure and push, or re-run the check`,
      details,
    };
  }
  if (pending.length > 0) {
    return {
      rule: "required-checks",
      result: "pending",
      reason: `on ${where}: ${pending.map(describe).join("; ")}. Waiting for ${pending.length === 1 ? "it" : "them"} to finish`,
      details,
    };
  }
  return {
    rule: "required-checks",
    result: "pass",
    reason: `passed on ${where}: ${results.map((r) => r.name).join(", ")}`,
    details,
  };
}

function outcomeOf(check: Check): { outcome: CheckOutcome; state: string } {
  if (check.kind === "status") {
    if (check.state === "success") return { outcome: "pass", state: "succeeded" };
    if (check.state === "pending") return { outcome: "pending", state: "is pending" };
    return { outcome: "fail", state: `failed (${check.state})` };
  }
  if (check.status !== "completed" || check.conclusion === null)
    return { outcome: "pending", state: `is ${check.status.replace("_", " ")}` };
  if (check.conclusion === "success") return { outcome: "pass", state: "succeeded" };
  if (check.conclusion === "neutral" || check.conclusion === "skipped")
    return { outcome: "pass", state: `finished ${check.conclusion}` };
  return { outcome: "fail", state: `failed (${check.conclusion.replace("_", " ")})` };
}
