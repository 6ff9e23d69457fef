import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../src/core/audit/report-document.js";
import { type2Document } from "../../../src/core/audit/report-render.js";
import { type2Report } from "../../../src/core/audit/report.js";
import { validateRepository } from "../../../src/core/validate.js";
import { changeRecord, reviewFile, sourcesOf } from "../../helpers/exception-fixtures.js";
import { minimalRepo } from "../../helpers/minimal-repo.js";

const NOW = new Date("2041-02-26T00:00:00Z");

function repository(extra: Record<string, string> = {}) {
  const tree = {
    ...minimalRepo(),
    ...changeRecord("changes/acme/web/pr-12", {
      number: 12,
      mergedAt: "2040-03-10T09:00:00Z",
      exception: "emergency",
    }),
    ...changeRecord("changes/acme/web/push-1", {
      mergedAt: "2040-05-15T09:00:00Z",
      exception: "direct-push",
    }),
    ...extra,
  };
  return validateRepository(sourcesOf(tree), { now: NOW }).repository;
}

const period = { from: "2040-01-01", to: "2040-12-31" };

describe("the Type 2 report's deviations", () => {
  it("lists each deviation with management's response, or that none is recorded", () => {
    const repo = repository(
      reviewFile(
        "changes/acme/web/pr-12",
        "2040-03-12",
        'root_cause: No second reviewer at night.\nremediation: Page a second reviewer.\nremediated_on: "2040-04-01"\n',
      ),
    );
    const report = type2Report(repo, period, "option", "2041-02-26");
    expect(report.exceptions.map((e) => [e.id, e.reviewState, e.response?.reviewedOn])).toEqual([
      ["changes/acme/web/pr-12", "resolved", "2040-03-12"],
      ["changes/acme/web/push-1", "open", undefined],
    ]);
    const markdown = renderMarkdown(type2Document(report));
    expect(markdown).toContain("### Deviations and management's responses\n");
    expect(markdown).toContain(
      "- `changes/acme/web/pr-12` emergency on acme/web #12 (2040-03-10T09:00:00Z): it skipped the review. **Management's response** (exceptions/changes/acme/web/pr-12.yml, reviewed on 2040-03-12 by Sam Okafor (Head of Security)): The hotfix stopped an outage; reviewed after the merge and found appropriate. Root cause: No second reviewer at night. Remediation: Page a second reviewer. (completed 2040-04-01)",
    );
    expect(markdown).toContain(
      "- `changes/acme/web/push-1` direct-push on acme/web direct push aaaaaaa (2040-05-15T09:00:00Z): it skipped the review. **No response recorded.**",
    );
    expect(markdown).toContain(
      "recorded: exception-review exceptions/changes/acme/web/pr-12.yml on 2040-03-12",
    );
  });

  it("lists a response written after the period ends, while the state stays as at the period's end", () => {
    const repo = repository(reviewFile("changes/acme/web/push-1", "2041-01-20"));
    const report = type2Report(repo, period, "option", "2041-02-26");
    const push = report.exceptions.find((e) => e.id === "changes/acme/web/push-1")!;
    expect(push.reviewState).toBe("open");
    expect(push.response?.reviewedOn).toBe("2041-01-20");
    // Made before that response existed, the report does not list it.
    const earlier = type2Report(repo, period, "option", "2041-01-05");
    expect(earlier.exceptions.find((e) => e.id === push.id)!.response).toBeUndefined();
  });

  it("has no deviations section when there are no exceptions", () => {
    const repo = validateRepository(sourcesOf(minimalRepo()), { now: NOW }).repository;
    const markdown = renderMarkdown(type2Document(type2Report(repo, period, "option")));
    expect(markdown).not.toContain("Deviations");
  });
});
