import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/change-management/evaluate.js";
import { renderCheckSummary } from "../../../src/core/render/pull-request-check.js";
import { approve, bob, facts, NOW, policy } from "../change-management/builder.js";

describe("the Action's job summary", () => {
  it("shows a hostile pull request title as written: it cannot hide or fake the verdict", () => {
    const hostile = facts({ title: "<!-- ** ✅ all rules passed | [x](javascript:alert(1))" });
    const summary = renderCheckSummary({
      facts: hostile,
      verdict: evaluate(hostile, policy(), { now: NOW }),
      policySource: "acme/web:soc2.yml@abc1234",
    });
    expect(summary).toMatch(/^## ❌ Pull request #\d+ does not meet/m);
    // No unescaped `<` opens an HTML comment (a backslash-escaped one renders as text).
    expect(summary).not.toMatch(/(^|[^\\])<!--/m);
    expect(summary).toContain("\\<!-- \\*\\* ✅ all rules passed \\| \\[x\\](javascript:alert(1))");
  });

  const summaryOf = (f: ReturnType<typeof facts>, p = policy()) =>
    renderCheckSummary({
      facts: f,
      verdict: evaluate(f, p, { now: NOW }),
      policySource: "acme/web:soc2.yml@abc1234",
    });
  const EMERGENCY = { emergency: { label: "emergency-change", retrospective_review_hours: 48 } };

  it.each([
    {
      name: "an emergency let through without approval does not 'meet the policy'",
      facts: facts({ labels: ["emergency-change"] }),
      headline:
        /^## ⚠️ Pull request #42 was let through as an emergency change: it does not meet the change-management policy \(required-approvals did not pass; retrospective review due by 2026-05-03T12:00:00\.000Z\)$/m,
    },
    {
      name: "an emergency label on a change that passes anyway: it meets the policy",
      facts: facts({ labels: ["emergency-change"], reviews: [approve(bob)] }),
      headline: /^## ✅ Pull request #42 meets the change-management policy$/m,
    },
    {
      name: "an approved change meets the policy",
      facts: facts({ reviews: [approve(bob)] }),
      headline: /^## ✅ Pull request #42 meets the change-management policy$/m,
    },
    {
      name: "an unapproved change without the label does not",
      facts: facts(),
      headline: /^## ❌ Pull request #42 does not meet the change-management policy$/m,
    },
  ])("headline: $name", ({ facts: f, headline }) => {
    const summary = summaryOf(f, policy(EMERGENCY));
    expect(summary).toMatch(headline);
    if (!headline.source.includes("meets")) expect(summary).not.toMatch(/meets the change/);
  });
});
