import { describe, expect, it } from "vitest";
import { readRepository } from "../../src/adapters/read-repository.js";
import { computeCoverage } from "../../src/core/coverage.js";
import { validateRepository } from "../../src/core/validate.js";
import { runCli } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";

const root = new URL("../../", import.meta.url).pathname;

describe("this repository's own SOC 2 program", () => {
  it("validates with no errors and no warnings", async () => {
    const { diagnostics, repository } = validateRepository(await readRepository(root), {
      now: TEST_NOW,
    });
    expect(diagnostics).toEqual([]);
    expect(repository.policies.map((p) => p.id).sort()).toEqual([
      "POL-ACCEPTABLE-USE",
      "POL-ACCESS",
      "POL-BACKUP",
      "POL-BCDR",
      "POL-CHANGE",
      "POL-DATA",
      "POL-INCIDENT",
      "POL-INFOSEC",
      "POL-LOGGING",
      "POL-PASSWORD",
      "POL-RISK",
      "POL-VENDOR",
    ]);
    expect(repository.evidence.length).toBeGreaterThan(0);
  });

  it("covers all 33 Security criteria and every criterion of its other categories", async () => {
    const { repository } = validateRepository(await readRepository(root), { now: TEST_NOW });
    const coverage = computeCoverage(repository);
    const security = coverage.summary.find((s) => s.category === "security")!;
    expect(security).toMatchObject({ total: 33, covered: 33, gaps: 0 });
    expect(coverage.rows.filter((r) => r.status === "gap")).toEqual([]);
  });

  it("keeps its evidence untouched: soc2 verify finds nothing in its records or git history", async () => {
    const result = await runCli("verify", root);
    expect(result.stdout).toMatch(/unchained checked by digest/);
    expect(result.code).toBe(0);
  });

  it("soc2 coverage prints the table and exits 0", async () => {
    const result = await runCli("coverage", root);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CC8\.1\s+covered\s+CHG-01, /m);
    expect(result.stdout).toMatch(/No coverage gaps\./);
  });
});
