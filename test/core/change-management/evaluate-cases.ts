import { expect } from "vitest";
import { evaluate } from "../../../src/core/change-management/evaluate.js";
import type { PullRequestFacts } from "../../../src/core/change-management/facts.js";
import { checkFacts } from "../../../src/core/change-management/facts-schema.js";
import type { ChangePolicy } from "../../../src/core/change-management/policy.js";
import type { RuleId, RuleOutcome, Verdict } from "../../../src/core/change-management/verdict.js";
import { NOW, policy } from "./builder.js";

/** One row of an evaluator table: facts and policy in, the verdict and some rules' results out. */
export interface Case {
  name: string;
  facts: PullRequestFacts;
  policy?: ChangePolicy;
  result: Verdict["result"];
  rules?: Partial<Record<RuleId, RuleOutcome>>;
  /** Patterns each rule's reason must match (people by login, commits by short SHA). */
  reasons?: Partial<Record<RuleId, RegExp>>;
}

/** Evaluates built facts, after checking that they are valid against the published schema. */
export function run(facts: PullRequestFacts, p: ChangePolicy = policy()): Verdict {
  const checked = checkFacts(facts);
  expect(checked.ok ? [] : checked.problems).toEqual([]);
  return evaluate(facts, p, { now: NOW });
}

export function ruleOf(verdict: Verdict, rule: RuleId) {
  const found = verdict.rules.find((r) => r.rule === rule);
  expect(found, `rule ${rule} is in the verdict`).toBeDefined();
  return found!;
}

export function expectCase(c: Case): Verdict {
  const verdict = run(c.facts, c.policy);
  const summary = verdict.rules.map((r) => `${r.rule}: ${r.result}: ${r.reason}`).join("\n");
  expect(verdict.result, summary).toBe(c.result);
  for (const [rule, outcome] of Object.entries(c.rules ?? {}))
    expect(ruleOf(verdict, rule as RuleId).result, summary).toBe(outcome);
  for (const [rule, pattern] of Object.entries(c.reasons ?? {}))
    expect(ruleOf(verdict, rule as RuleId).reason).toMatch(pattern);
  return verdict;
}
