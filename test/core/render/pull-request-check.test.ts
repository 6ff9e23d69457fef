import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/change-management/evaluate.js";
import { renderCheckSummary } from "../../../src/core/render/pull-request-check.js";
import { facts, NOW, policy } from "../change-management/builder.js";

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
});
