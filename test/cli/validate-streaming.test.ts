import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRepository } from "../../src/adapters/read-repository.js";
import { loadAndValidate } from "../../src/cli/commands/validate.js";
import { validateRepository } from "../../src/core/validate.js";
import { troubledRepository } from "../helpers/troubled-repository.js";

const NOW = new Date("2026-06-01T00:00:00Z");

describe("validate streams evidence records", () => {
  it("finds what the validation of every file in memory finds, at the same positions", async () => {
    const dir = await troubledRepository();
    const inMemory = validateRepository(await readRepository(dir), {
      now: NOW,
      evidenceFolderExists: true,
    });
    for (const retain of ["summary", "full"] as const) {
      const streamed = await loadAndValidate(dir, NOW, { retain });
      expect(streamed.diagnostics).toEqual(inMemory.diagnostics);
      // The nine files, the request list, and the answered path that is not there.
      expect(streamed.fileCount).toBe(11);
    }
    const rules = new Set(inMemory.diagnostics.map((d) => d.rule));
    for (const rule of [
      "duplicate-id",
      "unknown-control",
      "date-in-future",
      "digest-mismatch",
      "exception-review-unknown-record",
      "exception-review-before-change",
      "request-answer-stale",
      "request-evidence-missing",
    ])
      expect(rules).toContain(rule);
    // Findings across records point into the record, which the summary found by reading it again.
    const duplicate = inMemory.diagnostics.find((d) => d.rule === "duplicate-id")!;
    expect(duplicate).toMatchObject({ path: "evidence/attestations/x.yml", line: 3 });
  });

  it("keeps a summary of each record, not its content, and still locates findings", async () => {
    const dir = await troubledRepository();
    const { repository } = await loadAndValidate(dir, NOW, { retain: "summary" });
    const record = repository.evidence.find((r) => r.id === "attestations/late")!;
    expect(record.file.parsed.value).toBeUndefined();
    expect(record.content).toBeUndefined();
    expect(record).toMatchObject({ kind: "attestation", controls: ["GOV-01", "NOPE-01"] });
    expect(record.file.parsed.locate(["controls", 1])).toEqual({ line: 4, column: 20 });
    const change = repository.evidence.find((r) => r.id === "changes/a")!;
    expect(change.content).toEqual({
      exception: expect.objectContaining({ type: "emergency-change" }),
      change: { merged_at: "2026-03-01T10:00:00Z" },
    });
  });

  it("places a finding at the file's start when the record is gone before its position is asked", async () => {
    const dir = await troubledRepository();
    const { repository } = await loadAndValidate(dir, NOW, { retain: "summary" });
    await rm(join(dir, "evidence/attestations/late.yml"));
    const record = repository.evidence.find((r) => r.id === "attestations/late")!;
    expect(record.file.parsed.locate(["controls", 1])).toEqual({ line: 1, column: 1 });
    await writeFile(join(dir, "evidence/attestations/late.yml"), "not: [yaml");
    expect(record.file.parsed.locate(["controls", 1])).toEqual({ line: 1, column: 1 });
  });
});
