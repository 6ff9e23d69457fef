import { describe, expect, it } from "vitest";
import { assessReadiness } from "../../../src/core/audit/readiness.js";
import { assessExceptions } from "../../../src/core/audit/readiness-exceptions.js";
import { formatDiagnostic } from "../../../src/core/diagnostics.js";
import { validateRepository } from "../../../src/core/validate.js";
import { changeRecord, reviewFile, sourcesOf } from "../../helpers/exception-fixtures.js";
import { minimalRepo } from "../../helpers/minimal-repo.js";

type Tree = Record<string, string>;

const load = (tree: Tree) =>
  validateRepository(sourcesOf(tree), { now: new Date("2041-02-26T00:00:00Z") });

const base = (): Tree => ({
  ...minimalRepo(),
  ...changeRecord("changes/acme/web/pr-12", {
    number: 12,
    mergedAt: "2041-01-10T09:00:00Z",
    exception: "emergency",
  }),
  ...changeRecord("changes/acme/web/push-1", {
    mergedAt: "2041-01-15T09:00:00Z",
    exception: "direct-push",
  }),
});

describe("exception reviews resolve exceptions", () => {
  const tree = {
    ...base(),
    ...reviewFile(
      "changes/acme/web/pr-12",
      "2041-01-20",
      `root_cause: Merged at night without a second reviewer.
remediation: Page a second reviewer for emergency changes.
remediated_on: "2041-02-01"
links: ["https://github.com/acme/compliance/issues/4"]
`,
    ),
  };

  it("validates clean", () => {
    expect(load(tree).diagnostics.filter((d) => d.path.startsWith("exceptions/"))).toEqual([]);
  });

  it("resolves the exception on its reviewed_on day and carries management's response", () => {
    const [pr, push] = assessExceptions(load(tree).repository, "2041-02-26");
    expect(pr).toMatchObject({
      id: "changes/acme/web/pr-12",
      state: "resolved",
      resolvedBy: {
        id: "exceptions/changes/acme/web/pr-12.yml",
        kind: "exception-review",
        on: "2041-01-20",
      },
      response: {
        path: "exceptions/changes/acme/web/pr-12.yml",
        reviewedOn: "2041-01-20",
        reviewedBy: ["Sam Okafor (Head of Security)"],
        managementResponse:
          "The hotfix stopped an outage; reviewed after the merge and found appropriate.",
        rootCause: "Merged at night without a second reviewer.",
        remediation: "Page a second reviewer for emergency changes.",
        remediatedOn: "2041-02-01",
        links: ["https://github.com/acme/compliance/issues/4"],
      },
    });
    expect(push).toMatchObject({ id: "changes/acme/web/push-1", state: "open" });
    expect(push!.response).toBeUndefined();
  });

  it("does not count a review dated after the as-of date, so readiness counts the exception open", () => {
    const before = assessReadiness(load(tree).repository, { asOf: "2041-01-14" });
    expect(before.exceptions.map((e) => [e.id, e.state])).toEqual([
      ["changes/acme/web/pr-12", "open"],
    ]);
    expect(before.gaps.filter((g) => g.problem === "exception-open").map((g) => g.subject)).toEqual(
      ["changes/acme/web/pr-12"],
    );
    const after = assessReadiness(load(tree).repository, { asOf: "2041-02-26" });
    expect(after.gaps.filter((g) => g.problem === "exception-open").map((g) => g.subject)).toEqual([
      "changes/acme/web/push-1",
    ]);
  });
});

describe("exception review files: bad input", () => {
  const errors = (tree: Tree) =>
    load(tree)
      .diagnostics.filter((d) => d.path.startsWith("exceptions/"))
      .map(formatDiagnostic);

  it("names the file, line and column of a missing management response", () => {
    const tree = base();
    tree["exceptions/changes/acme/web/pr-12.yml"] = `version: 1
record: changes/acme/web/pr-12
reviewed_on: "2041-01-12"
reviewed_by: [{ name: Sam, role: CTO }]
`;
    const out = errors(tree);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^exceptions\/changes\/acme\/web\/pr-12\.yml:1:1: error: .*management_response.*\[schema-required\]$/,
    );
  });

  it("says where the file belongs when its path does not match its record", () => {
    const out = errors({
      ...base(),
      ...reviewFile("changes/acme/web/pr-12", "2041-01-12", "", "exceptions/pr-12.yml"),
    });
    expect(out).toEqual([
      "exceptions/pr-12.yml:2:9: error: reviews changes/acme/web/pr-12, but its file is exceptions/pr-12.yml: move it to exceptions/changes/acme/web/pr-12.yml, so that each exception has one review file [exception-review-path]",
    ]);
  });

  it("rejects a review of a record that carries no exception", () => {
    const out = errors({ ...base(), ...reviewFile("changes/acme/web/pr-99", "2041-01-12") });
    expect(out).toEqual([
      "exceptions/changes/acme/web/pr-99.yml:2:9: error: no change record with an exception has the id changes/acme/web/pr-99: copy the id from the exception (soc2 exceptions lists them) [exception-review-unknown-record]",
    ]);
  });

  it("does not look for the record when only some evidence was read (a pull request's check)", () => {
    const tree = {
      ...minimalRepo(),
      ...reviewFile("changes/acme/web/pr-99", "2041-01-12", "", "exceptions/pr-99.yml"),
    };
    const partial = validateRepository(sourcesOf(tree), {
      now: new Date("2041-02-26T00:00:00Z"),
      partialEvidence: true,
    });
    expect(
      partial.diagnostics.filter((d) => d.path.startsWith("exceptions/")).map((d) => d.rule),
    ).toEqual(["exception-review-path"]);
  });

  it("rejects a review dated before the change", () => {
    const out = errors({ ...base(), ...reviewFile("changes/acme/web/pr-12", "2041-01-09") });
    expect(out).toEqual([
      "exceptions/changes/acme/web/pr-12.yml:3:14: error: reviewed_on 2041-01-09 is before the change was merged (2041-01-10): a retrospective review follows the change; correct the date [exception-review-before-change]",
    ]);
  });

  it("reports a file that is not YAML with its position, never a stack trace", () => {
    const tree = base();
    tree["exceptions/changes/acme/web/pr-12.yml"] = "record: [unclosed\n";
    const out = errors(tree);
    expect(out.length).toBeGreaterThan(0);
    expect(out[0]).toMatch(/^exceptions\/changes\/acme\/web\/pr-12\.yml:\d+:\d+: error: /);
    expect(out.join("\n")).not.toMatch(/\bat .+\.ts:\d+/);
  });
});
