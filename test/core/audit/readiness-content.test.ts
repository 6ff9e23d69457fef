import { describe, expect, it } from "vitest";
import { assessReadiness } from "../../../src/core/audit/readiness.js";
import { readinessContent } from "../../../src/core/audit/readiness-content.js";
import { assessFreshness } from "../../../src/core/audit/freshness.js";
import { validateRepository } from "../../../src/core/validate.js";
import { changeRecord, sourcesOf } from "../../helpers/exception-fixtures.js";
import { minimalRepo } from "../../helpers/minimal-repo.js";

const NOW = new Date("2030-01-01T00:00:00Z");

/** A change record written later than it merged (a reconciliation), its review due from the verdict. */
function lateRecord(id: string, mergedAt: string, recordedAt: string, verdictDue: string) {
  const [path, text] = Object.entries(
    changeRecord(id, { number: 9, mergedAt, exception: "emergency-change" }),
  )[0]!;
  return {
    [path]:
      text.replace(`recorded_at: "${mergedAt}"`, `recorded_at: "${recordedAt}"`) +
      `  verdict:\n    result: fail\n    exception:\n      retrospective_review_due: "${verdictDue}"\n`,
  };
}

describe("readinessContent", () => {
  it("keeps the merge time and the verdict's review due date, which the assessment reads", () => {
    const tree = {
      ...minimalRepo(),
      ...lateRecord("changes/late", "2026-03-01T10:00:00Z", "2026-04-15T00:00:00Z", "2026-03-20T00:00:00Z"),
      ...changeRecord("changes/plain", { number: 10, mergedAt: "2026-02-01T10:00:00Z" }),
    };
    const kept = validateRepository(sourcesOf(tree), {
      now: NOW,
      retain: { content: readinessContent },
    });
    const whole = validateRepository(sourcesOf(tree), { now: NOW });
    expect(kept.diagnostics).toEqual(whole.diagnostics);
    for (const asOf of ["2026-03-10", "2026-03-25", "2026-04-01", "2026-12-31"]) {
      expect(assessReadiness(kept.repository, { asOf })).toEqual(
        assessReadiness(whole.repository, { asOf }),
      );
      expect(assessFreshness(kept.repository, { asOf })).toEqual(
        assessFreshness(whole.repository, { asOf }),
      );
    }
    // Open from the verdict's due date (20 March), before the record was even written.
    const open = assessReadiness(kept.repository, { asOf: "2026-03-25" }).exceptions[0]!;
    expect(open).toMatchObject({ id: "changes/late", state: "open", due: "2026-03-20T00:00:00Z" });
  });

  it("keeps nothing of a plain change record but its merge time", () => {
    const record = { kind: "change-record", controls: [], file: undefined as never };
    expect(
      readinessContent({
        ...record,
        content: { change: { merged_at: "2026-01-01T00:00:00Z", title: "x" }, facts: { big: 1 } },
      }),
    ).toEqual({ change: { merged_at: "2026-01-01T00:00:00Z" } });
  });
});
