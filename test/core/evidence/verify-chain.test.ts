import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  formatChainFinding,
  planAppend,
  recordDigest,
  serializeChainHead,
  serializeRecord,
  summarizeChainRecord,
  verifyChain,
  type AppendPlan,
  type ChainHead,
  type ChainProblem,
  type ChainRecordInput,
  type StoredRecord,
  type VerifyChainInput,
} from "../../../src/core/evidence/index.js";
import { reviewEvent } from "./samples.js";

/** Five records appended one after another, a minute apart, as a store writes them. */
function writeChain(count = 5): { plans: AppendPlan[]; input: VerifyChainInput } {
  const plans: AppendPlan[] = [];
  let head: ChainHead | undefined;
  for (let n = 1; n <= count; n++) {
    const at = `2026-05-01T10:${String(10 + n).padStart(2, "0")}:00Z`;
    const result = planAppend({ record: reviewEvent(n, at), head, evidencePath: "evidence", recordedAt: at });
    if (!result.ok) throw new Error(result.problems.join("\n"));
    plans.push(result.plan);
    head = result.plan.head;
  }
  return {
    plans,
    input: {
      evidencePath: "evidence",
      records: plans.map((p) => ({
        ...summarizeChainRecord(p.path, parse(p.text)),
        addedAt: p.record.recorded_at.replace(":00Z", ":02Z"),
        addedIn: `commit-${p.record.chain.sequence}`,
      })),
      head: plans.at(-1)!.headText,
    },
  };
}

const problems = (input: VerifyChainInput) =>
  verifyChain(input).findings.map((f) => [f.problem, f.path] as [ChainProblem, string]);

/** Replaces record `index` (as `plans` wrote it) with an edited copy. */
function edit(
  plans: AppendPlan[],
  input: VerifyChainInput,
  index: number,
  change: (record: StoredRecord & Record<string, unknown>) => void,
): VerifyChainInput {
  const records = input.records.map((r, i) => {
    if (i !== index) return r;
    const value = parse(plans[i]!.text) as StoredRecord & Record<string, unknown>;
    change(value);
    // Through YAML again, as a person editing the file would leave it.
    return { ...r, ...summarizeChainRecord(r.path, parse(serializeRecord(value))) };
  });
  return { ...input, records };
}

const pathOf = (plans: AppendPlan[], n: number) => plans[n - 1]!.path;

describe("verifyChain", () => {
  it("passes a chain as the store wrote it", () => {
    const { input } = writeChain();
    const report = verifyChain(input);
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, chained: 5, unchained: [] });
    expect(report.head?.sequence).toBe(5);
  });

  it("passes an empty evidence folder, and keeps records filed by people outside the chain", () => {
    expect(verifyChain({ evidencePath: "evidence", records: [] })).toMatchObject({ ok: true, chained: 0 });
    const { plans, input } = writeChain(2);
    const manual = parse(plans[0]!.text) as Record<string, unknown>;
    delete manual.chain;
    manual.id = "attestations/2026/q1";
    const report = verifyChain({
      ...input,
      records: [...input.records, summarizeChainRecord("evidence/attestations/2026/q1.yml", manual)],
    });
    expect(report.findings).toEqual([]);
    expect(report.unchained).toEqual(["evidence/attestations/2026/q1.yml"]);
  });

  it("finds changed content by its digest", () => {
    const { plans, input } = writeChain();
    const tampered = edit(plans, input, 2, (r) => {
      (r.content as { review: { state: string } }).review.state = "CHANGES_REQUESTED";
    });
    // The record's own digest, and the link its successor holds.
    expect(problems(tampered)).toEqual([
      ["digest-mismatch", pathOf(plans, 3)],
      ["link-mismatch", pathOf(plans, 3)],
    ]);
  });

  it("finds changed content even when the digest was recomputed, through the next link", () => {
    const { plans, input } = writeChain();
    const tampered = edit(plans, input, 2, (r) => {
      (r.content as { actor: { login: string } }).actor.login = "mallory";
      r.digest = recordDigest(r.content); // content digest: same function over content
    });
    expect(problems(tampered)).toEqual([["link-mismatch", pathOf(plans, 3)]]);
  });

  it("finds a changed envelope field (controls) through the next record's link", () => {
    const { plans, input } = writeChain();
    const tampered = edit(plans, input, 1, (r) => {
      r.controls = ["CHG-02"];
    });
    const report = verifyChain(tampered);
    expect(report.findings).toEqual([
      expect.objectContaining({ problem: "link-mismatch", path: pathOf(plans, 2), sequence: 2 }),
    ]);
    expect(formatChainFinding(report.findings[0]!)).toMatch(
      /^evidence\/reviews\/.*review-2\.yml: hashes to sha256:.* but the next record \(.*review-3\.yml\) was written after a record hashing to sha256:.*: this record was changed after .* was written, or .* was inserted \[link-mismatch\]$/,
    );
  });

  it("finds a change to the last record through the head file", () => {
    const { plans, input } = writeChain();
    const tampered = edit(plans, input, 4, (r) => {
      r.source.delivery_id = "forged";
    });
    expect(problems(tampered)).toEqual([["head-mismatch", "evidence/chain-head.json"]]);
    expect(verifyChain(tampered).findings[0]!.message).toContain(
      `record 5 (${pathOf(plans, 5)}) hashes to`,
    );
  });

  it("finds a deleted record as a gap in the sequence", () => {
    const { plans, input } = writeChain();
    const tampered = { ...input, records: input.records.filter((_, i) => i !== 2) };
    const report = verifyChain(tampered);
    expect(report.findings).toEqual([
      {
        problem: "sequence-missing",
        path: pathOf(plans, 4),
        sequence: 3,
        message: `record 3 of the chain is missing (between ${pathOf(plans, 2)} and ${pathOf(plans, 4)}): a record was deleted, or its chain field removed`,
      },
    ]);
  });

  it("finds records deleted from the end through the head, and a rolled-back head through git history", () => {
    const { plans, input } = writeChain();
    const cut = { ...input, records: input.records.slice(0, 3) };
    expect(problems(cut)).toEqual([["sequence-missing", "evidence/chain-head.json"]]);
    expect(verifyChain(cut).findings[0]!.message).toMatch(/records 4 to 5 of the chain are missing/);
    // The head rolled back too: only git history still shows what happened.
    const rolledBack = { ...cut, head: plans[2]!.headText };
    expect(problems(rolledBack)).toEqual([]);
    const withHistory: VerifyChainInput = {
      ...rolledBack,
      history: [
        { path: pathOf(plans, 4), change: "deleted", commit: "c9", at: "2026-06-01T00:00:00Z" },
        { path: pathOf(plans, 5), change: "deleted", commit: "c9", at: "2026-06-01T00:00:00Z" },
        { path: "evidence/chain-head.json", change: "modified", commit: "c9" },
      ],
    };
    expect(problems(withHistory)).toEqual([
      ["record-deleted", pathOf(plans, 4)],
      ["record-deleted", pathOf(plans, 5)],
    ]);
  });

  it("finds a removed chain field as a gap", () => {
    const { plans, input } = writeChain();
    const tampered = edit(plans, input, 1, (r) => {
      delete (r as Record<string, unknown>).chain;
    });
    expect(problems(tampered)).toEqual([["sequence-missing", pathOf(plans, 3)]]);
  });

  it("finds a record inserted in the middle of the chain", () => {
    const { plans, input } = writeChain();
    // A forged record claiming place 3, correctly linked to record 2.
    const forged = planAppend({
      record: reviewEvent(99, "2026-05-01T10:13:30Z"),
      head: plans[1]!.head,
      evidencePath: "evidence",
    });
    if (!forged.ok) throw new Error("forged record");
    const tampered: VerifyChainInput = {
      ...input,
      records: [...input.records, summarizeChainRecord(forged.plan.path, parse(forged.plan.text))],
    };
    expect(problems(tampered)).toEqual([["sequence-duplicate", forged.plan.path]]);
    expect(verifyChain(tampered).findings[0]!.message).toMatch(
      /claims place 3 in the chain, like .*review-3\.yml: the chain links to the other record, so this one was inserted/,
    );
  });

  it("finds a record appended at the end without the store (head not updated)", () => {
    const { plans, input } = writeChain();
    const forged = planAppend({
      record: reviewEvent(6, "2026-05-01T10:16:00Z"),
      head: plans[4]!.head,
      evidencePath: "evidence",
    });
    if (!forged.ok) throw new Error("forged record");
    const tampered: VerifyChainInput = {
      ...input,
      records: [...input.records, summarizeChainRecord(forged.plan.path, parse(forged.plan.text))],
    };
    expect(problems(tampered)).toEqual([["head-mismatch", "evidence/chain-head.json"]]);
  });

  it("finds a record inserted out of order: recorded before its predecessor", () => {
    const { plans, input } = writeChain();
    const forged = planAppend({
      record: reviewEvent(6),
      head: plans[4]!.head,
      evidencePath: "evidence",
      recordedAt: "2026-04-01T00:00:00Z",
    });
    if (!forged.ok) throw new Error("forged record");
    const tampered: VerifyChainInput = {
      ...input,
      records: [...input.records, summarizeChainRecord(forged.plan.path, parse(forged.plan.text))],
      head: forged.plan.headText,
    };
    expect(problems(tampered)).toEqual([["out-of-order", forged.plan.path]]);
  });

  it("finds a back-dated recorded_at: the link breaks, the order breaks, the commit time disagrees", () => {
    const { plans, input } = writeChain();
    const tampered = edit(plans, input, 2, (r) => {
      r.recorded_at = "2026-04-20T09:00:00Z";
    });
    expect(problems(tampered)).toEqual([
      ["committed-after-recorded", pathOf(plans, 3)],
      ["link-mismatch", pathOf(plans, 3)],
      ["out-of-order", pathOf(plans, 3)],
    ]);
  });

  it("finds a chain rebuilt after a back-dated record through commit times", () => {
    // Someone rewrote record 3 and every later record and the head, consistently.
    const { plans, input } = writeChain();
    let head: ChainHead | undefined = plans[1]!.head;
    const records: ChainRecordInput[] = input.records.slice(0, 2);
    for (let n = 3; n <= 5; n++) {
      const at = n === 3 ? "2026-05-01T10:12:30Z" : `2026-05-01T10:${10 + n}:00Z`;
      const p = planAppend({ record: reviewEvent(n, at), head, evidencePath: "evidence", recordedAt: at });
      if (!p.ok) throw new Error("rebuild");
      records.push({ ...input.records[n - 1]!, ...summarizeChainRecord(p.plan.path, parse(p.plan.text)) });
      head = p.plan.head;
    }
    const rebuilt: VerifyChainInput = { ...input, records, head: serializeChainHead(head!) };
    // The rewrite keeps the chain consistent, but record 3 now claims 10:12:30 although the
    // commit that added it was made at 10:13:02, within the allowed delay: only an anchor shows it.
    expect(problems(rebuilt)).toEqual([]);
    const anchored = { ...rebuilt, anchors: [{ sequence: 4, digest: plans[3]!.head.digest }] };
    expect(problems(anchored)).toEqual([["anchor-mismatch", pathOf(plans, 4)]]);
    const tight = { ...rebuilt, history: [], commitDelaySeconds: 10 };
    expect(problems(tight)).toEqual([["committed-after-recorded", pathOf(plans, 3)]]);
  });

  it("finds a recorded_at moved later than the commit that added the record", () => {
    const { plans, input } = writeChain();
    const records = input.records.map((r, i) =>
      i === 4 ? { ...r, addedAt: "2026-05-01T09:00:00Z" } : r,
    );
    expect(problems({ ...input, records })).toEqual([["committed-before-recorded", pathOf(plans, 5)]]);
  });

  it("tolerates the clock skew of two writers", () => {
    const { input } = writeChain();
    const records = input.records.map((r, i) =>
      i === 4 ? { ...r, addedAt: "2026-05-01T10:14:00Z" } : r,
    );
    expect(problems({ ...input, records })).toEqual([]);
  });

  it("reports a missing, unreadable or disagreeing head file", () => {
    const { plans, input } = writeChain();
    expect(problems({ ...input, head: undefined })).toEqual([["head-missing", "evidence/chain-head.json"]]);
    expect(problems({ ...input, head: "{" })).toEqual([["head-invalid", "evidence/chain-head.json"]]);
    const wrongPath = JSON.stringify({ ...plans[4]!.head, path: "evidence/elsewhere.yml" });
    expect(verifyChain({ ...input, head: wrongPath }).findings[0]).toMatchObject({
      problem: "head-mismatch",
      message: expect.stringContaining("names path evidence/elsewhere.yml"),
    });
    expect(problems({ ...input, records: [] })).toEqual([
      ["head-mismatch", "evidence/chain-head.json"],
      ["sequence-missing", "evidence/chain-head.json"],
    ]);
  });

  it("reports a moved record, an unreadable record and a malformed chain field", () => {
    const { plans, input } = writeChain(2);
    const moved = {
      ...input,
      records: [input.records[0]!, { ...input.records[1]!, path: "evidence/moved.yml" }],
      head: JSON.stringify({ ...plans[1]!.head, path: "evidence/moved.yml" }),
    };
    expect(problems(moved)).toEqual([["id-path-mismatch", "evidence/moved.yml"]]);
    const unreadable = {
      ...input,
      records: [...input.records, { ...summarizeChainRecord("evidence/x.yml", undefined), unreadable: "bad YAML" }],
    };
    expect(verifyChain(unreadable).findings).toEqual([
      expect.objectContaining({ problem: "record-unreadable", message: expect.stringContaining("bad YAML") }),
    ]);
    const malformed = edit(plans, input, 0, (r) => {
      (r as Record<string, unknown>).chain = { sequence: "1", previous: null };
    });
    expect(problems(malformed)).toContainEqual(["chain-invalid", pathOf(plans, 1)]);
  });

  it("reports records changed in git history even when their content was restored", () => {
    const { plans, input } = writeChain(2);
    const report = verifyChain({
      ...input,
      history: [{ path: pathOf(plans, 1), change: "modified", commit: "abc123", at: "2026-06-01T00:00:00Z" }],
    });
    expect(report.findings).toEqual([
      {
        problem: "record-modified",
        path: pathOf(plans, 1),
        message: "was changed by commit abc123 on 2026-06-01T00:00:00Z after it was added: evidence is append-only",
      },
    ]);
  });

  it("does not loop over a forged huge sequence number", () => {
    const { plans, input } = writeChain(2);
    const head = JSON.stringify({ ...plans[1]!.head, sequence: Number.MAX_SAFE_INTEGER });
    const started = performance.now();
    const report = verifyChain({ ...input, head });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(report.findings.map((f) => f.problem)).toEqual(["sequence-missing"]);
  });
});
