import { describe, expect, it } from "vitest";
import {
  assessFreshness,
  controlFreshness,
  intervalStrip,
  type FreshnessOptions,
} from "../../../src/core/audit/freshness.js";
import type { Control, EvidenceRecord, Frequency } from "../../../src/core/model.js";
import { buildSnapshotRecord } from "../../../src/core/monitoring/snapshot-record.js";
import { freshnessRows } from "../../../src/core/render/freshness.js";

type Ided = Control & { id: string };

function control(frequency: Frequency, fields: Partial<Control> = {}): Ided {
  return {
    file: { path: "controls/c.yml" } as Control["file"],
    id: "C-01",
    title: "A control",
    criteria: ["CC1.1"],
    frequency,
    automation: "manual",
    status: "implemented",
    policies: [],
    evidence: [{ kind: "attestation", description: "Sign-off." }],
    frameworks: { iso27001: [], "nist-800-53": [] },
    ...fields,
  };
}

function attested(id: string, performedOn: string, controls = ["C-01"]): EvidenceRecord {
  return {
    file: { path: `evidence/${id}.yml` } as EvidenceRecord["file"],
    id,
    kind: "attestation",
    controls,
    recordedAt: `${performedOn}T12:00:00Z`,
    content: { performed_at: performedOn },
  };
}

const fresh = (c: Ided, records: EvidenceRecord[], options: FreshnessOptions) =>
  controlFreshness(c, records, options);
const spans = (f: ReturnType<typeof fresh>) =>
  f.intervals.map((i) => `${i.from}..${i.to}:${i.records}`);

describe("freshness: intervals of the audit period", () => {
  const year = { start: "2040-01-01", end: "2040-12-31" };

  it("counts only the months that have ended by the as-of date", () => {
    const f = fresh(
      control("monthly"),
      [attested("a1", "2040-01-15"), attested("a2", "2040-03-01")],
      {
        asOf: "2040-04-01",
        period: year,
      },
    );
    expect(spans(f)).toEqual([
      "2040-01-01..2040-01-31:1",
      "2040-02-01..2040-02-29:0",
      "2040-03-01..2040-03-31:1",
    ]);
    expect([f.evidenced, f.missing, f.notEnded]).toEqual([2, 1, 9]);
    expect(intervalStrip(f)).toBe("■□■");
  });

  it("does not count the month that ends on the as-of date until the next day", () => {
    const options = { period: year };
    const on = fresh(control("monthly"), [], { ...options, asOf: "2040-01-31" });
    const after = fresh(control("monthly"), [], { ...options, asOf: "2040-02-01" });
    expect(on.intervals).toEqual([]);
    expect(after.intervals.map((i) => i.to)).toEqual(["2040-01-31"]);
  });

  it("ends February on the 29th in a leap year and the 28th otherwise", () => {
    const leap = fresh(control("monthly"), [], {
      asOf: "2040-03-15",
      period: { start: "2040-02-01", end: "2041-01-31" },
    });
    const common = fresh(control("monthly"), [], {
      asOf: "2041-03-15",
      period: { start: "2041-02-01", end: "2042-01-31" },
    });
    expect(leap.intervals[0]).toMatchObject({ from: "2040-02-01", to: "2040-02-29" });
    expect(common.intervals[0]).toMatchObject({ from: "2041-02-01", to: "2041-02-28" });
  });

  it("cuts quarters from the period's first day and ends the last one with the period", () => {
    const f = fresh(control("quarterly"), [attested("q", "2040-09-30")], {
      asOf: "2041-06-01",
      period: { start: "2040-07-01", end: "2041-05-15" },
    });
    expect(spans(f)).toEqual([
      "2040-07-01..2040-09-30:1",
      "2040-10-01..2040-12-31:0",
      "2041-01-01..2041-03-31:0",
      "2041-04-01..2041-05-15:0",
    ]);
    expect(f.notEnded).toBe(0);
  });

  it("counts a record on an interval's first and last day, and none outside the period", () => {
    const f = fresh(
      control("weekly"),
      [attested("in1", "2040-01-01"), attested("in2", "2040-01-14"), attested("out", "2039-12-31")],
      { asOf: "2040-01-20", period: { start: "2040-01-01", end: "2040-03-31" } },
    );
    expect(spans(f)).toEqual(["2040-01-01..2040-01-07:1", "2040-01-08..2040-01-14:1"]);
  });

  it("ignores records dated after the as-of date and records of other controls", () => {
    const f = fresh(
      control("monthly"),
      [attested("later", "2040-02-10"), attested("other", "2040-01-10", ["C-02"])],
      { asOf: "2040-02-05", period: year },
    );
    expect(f.last).toBeUndefined();
    expect(spans(f)).toEqual(["2040-01-01..2040-01-31:0"]);
  });

  it("gives per-occurrence controls no intervals, and says why", () => {
    const f = fresh(control("per-occurrence"), [attested("a", "2040-03-01")], {
      asOf: "2040-12-01",
      period: year,
    });
    expect(f.intervals).toEqual([]);
    expect(f.note).toBe("per-occurrence");
    expect(freshnessRows([f])[0]![5]).toBe("n/a (per occurrence)");
  });
});

describe("freshness: last evidence and overdue", () => {
  it("is overdue once the as-of date passes the last evidence plus the allowance", () => {
    // monthly: 35 days by default.
    const records = [attested("old", "2040-01-10"), attested("new", "2040-02-10")];
    const due = fresh(control("monthly"), records, { asOf: "2040-03-16" });
    const late = fresh(control("monthly"), records, { asOf: "2040-03-17" });
    expect(due).toMatchObject({
      last: { id: "new", on: "2040-02-10", kind: "attestation" },
      due: "2040-03-16",
      overdue: false,
      allowanceDays: 35,
      allowanceRule: "monthly",
    });
    expect(late.overdue).toBe(true);
  });

  it("takes the allowance from max_age_days when the control sets one", () => {
    const c = control("annually", {
      evidence: [{ kind: "attestation", description: "Sign-off.", maxAgeDays: 400 }],
    });
    const f = fresh(c, [attested("a", "2040-01-01")], { asOf: "2041-01-20" });
    expect(f).toMatchObject({
      allowanceDays: 400,
      allowanceRule: "its max_age_days",
      due: "2041-02-04",
      overdue: false,
    });
  });

  it("treats a control with no evidence as overdue from the period's start plus the allowance", () => {
    const period = { start: "2040-01-01", end: "2040-12-31" };
    const early = fresh(control("monthly"), [], { asOf: "2040-02-05", period });
    const late = fresh(control("monthly"), [], { asOf: "2040-02-06", period });
    expect(early).toMatchObject({ due: "2040-02-05", overdue: false });
    expect(early.last).toBeUndefined();
    expect(late.overdue).toBe(true);
    expect(freshnessRows([late])[0]).toEqual([
      "C-01",
      "monthly",
      "never",
      "2040-02-05",
      "OVERDUE",
      "□ 0/1",
    ]);
  });

  it("treats a control never evidenced as overdue when there is no period, but not before a period starts", () => {
    expect(fresh(control("monthly"), [], { asOf: "2040-02-06" }).overdue).toBe(true);
    const before = fresh(control("monthly"), [], {
      asOf: "2039-12-01",
      period: { start: "2040-01-01", end: "2040-12-31" },
    });
    expect(before).toMatchObject({ overdue: false, intervals: [], notEnded: 12 });
    expect(freshnessRows([before])[0]![5]).toBe("none ended yet");
  });

  it("never marks a control that is not implemented overdue", () => {
    const f = fresh(control("monthly", { status: "planned" }), [], { asOf: "2040-06-01" });
    expect(f.overdue).toBe(false);
    expect(freshnessRows([f])[0]![4]).toBe("- (planned)");
  });

  it("assesses every control of a repository, sorted by id", () => {
    const a = control("monthly", { id: "B-02" });
    const b = control("annually", { id: "A-01" });
    const out = assessFreshness(
      { controls: [a, b], policies: [], evidence: [attested("x", "2040-01-05", ["A-01", "B-02"])] },
      { asOf: "2040-03-01", period: { start: "2040-01-01", end: "2040-12-31" } },
    );
    expect(out.map((f) => [f.id, f.last?.id, intervalStrip(f)])).toEqual([
      ["A-01", "x", ""],
      ["B-02", "x", "■□"],
    ]);
  });
});

describe("freshness: the terminal strip", () => {
  it("shows the last 26 ended intervals of a daily control after an ellipsis", () => {
    const f = controlFreshness(control("daily"), [attested("d", "2040-03-30")], {
      asOf: "2040-04-01",
      period: { start: "2040-01-01", end: "2040-12-31" },
    });
    expect(f.intervals).toHaveLength(91);
    expect(freshnessRows([f])[0]![5]).toBe(`…${"□".repeat(24)}■□ 1/91`);
  });
});

describe("freshness: the monitor's settings snapshots", () => {
  it("count as evidence of their controls, also those that only point at an equal snapshot", () => {
    const scope = { type: "repository" as const, name: "acme/web" };
    const source = { type: "github-app" as const, name: "soc2 monitor" };
    const full = buildSnapshotRecord({
      scope,
      capturedAt: new Date("2040-01-03T00:00:00Z"),
      settings: { enforce_admins: true },
      controls: ["C-01"],
      source,
    });
    const same = buildSnapshotRecord({
      scope,
      capturedAt: new Date("2040-01-10T00:00:00Z"),
      settings: { enforce_admins: true },
      controls: ["C-01"],
      source,
      previous: { id: full.id, content: full.content as Record<string, unknown> },
    });
    expect((same.content as { same_as?: string }).same_as).toBe(full.id);
    const stored = [full, same].map((p): EvidenceRecord => ({
      file: { path: `evidence/${p.id}.yml` } as EvidenceRecord["file"],
      id: p.id,
      kind: p.kind,
      controls: [...p.controls],
      recordedAt: p.recorded_at,
      content: p.content,
    }));
    const c = control("weekly", {
      evidence: [{ kind: "settings-snapshot", description: "Weekly capture." }],
    });
    const f = controlFreshness(c, stored, {
      asOf: "2040-01-16",
      period: { start: "2040-01-01", end: "2040-03-31" },
    });
    expect(f).toMatchObject({ last: { id: same.id, on: "2040-01-10" }, overdue: false });
    expect(intervalStrip(f)).toBe("■■");
  });
});
