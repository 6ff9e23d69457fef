import type { Evaluation } from "../evaluation.js";
import { globMatcher } from "../globs.js";
import type { RuleResult } from "../verdict.js";

/**
 * The rules apply to pull requests into the branches the policy names. The facts carry the base
 * as it is now, so a pull request retargeted after approval is judged by its current base; one
 * retargeted away from a protected branch is out of scope, and the verdict says so.
 */
export function baseBranch({ facts, policy }: Evaluation): RuleResult {
  const branches = policy.branches.join(", ") || "none";
  const inScope = globMatcher(policy.branches)(facts.base.ref);
  return inScope
    ? {
        rule: "base-branch",
        result: "pass",
        reason: `targets ${facts.base.ref}, a branch the policy protects (branches: ${branches})`,
      }
    : {
        rule: "base-branch",
        result: "skipped",
        reason: `targets ${facts.base.ref}, which is not a protected branch (branches: ${branches}): the change-management rules do not apply. If it is retargeted to a protected branch, it is evaluated again`,
      };
}
