import { describe, expect, it } from "vitest";
import {
  renderVerdictMarkdown,
  renderVerdictText,
} from "../../../src/core/change-management/render.js";
import type { Verdict } from "../../../src/core/change-management/verdict.js";
import { facts } from "./builder.js";

const verdict: Verdict = {
  result: "pass",
  rules: [
    { rule: "required-approvals", result: "fail", reason: "0 of 1 required approval(s)" },
    { rule: "emergency-change", result: "pass", reason: "labelled emergency | hotfix" },
  ],
  exception: {
    type: "emergency",
    reason: "emergency change let through",
    retrospective_review_due: "2026-05-03T12:00:00.000Z",
  },
  evaluated_at: "2026-05-01T12:00:00.000Z",
  policy_digest: `sha256:${"0".repeat(64)}`,
  facts_digest: `sha256:${"1".repeat(64)}`,
};

describe("rendering a verdict", () => {
  it("as a terminal table", () => {
    expect(renderVerdictText(verdict, facts())).toBe(
      [
        "Change management: PASS (let through as an emergency change: the policy is not met)",
        "acme-cloud/platform#42 into main, head 1a95462, evaluated at 2026-05-01T12:00:00.000Z",
        "",
        "Rule                Result  Reason",
        "------------------  ------  ---------------------------",
        "required-approvals  fail    0 of 1 required approval(s)",
        "emergency-change    pass    labelled emergency | hotfix",
        "",
        "Exception (emergency): emergency change let through. Retrospective review due by 2026-05-03T12:00:00.000Z.",
        "",
      ].join("\n"),
    );
  });

  it("as Markdown, with table cells escaped", () => {
    const markdown = renderVerdictMarkdown(verdict, facts());
    expect(markdown).toContain(
      "### Change management: PASS (let through as an emergency change: the policy is not met)",
    );
    expect(markdown).toContain("| `emergency-change` | pass | labelled emergency \\| hotfix |");
    expect(markdown).toContain("> Exception (emergency): emergency change let through.");
  });

  it("says nothing of an emergency when there was none, or when the verdict failed anyway", () => {
    const plain: Verdict = { ...verdict, exception: undefined };
    delete plain.exception;
    expect(renderVerdictText(plain, facts()).split("\n")[0]).toBe("Change management: PASS");
    const bypass: Verdict = {
      ...verdict,
      result: "fail",
      exception: { type: "bypass", reason: "merged by carol" },
    };
    expect(renderVerdictText(bypass, facts()).split("\n")[0]).toBe("Change management: FAIL");
  });
});
