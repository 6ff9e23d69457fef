import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRepository } from "../../src/adapters/read-repository.js";
import { computeCoverage } from "../../src/core/coverage.js";
import { validateRepository } from "../../src/core/validate.js";
import { runCli, runCliAt } from "../helpers/capture.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import { TEST_NOW } from "../helpers/clock.js";

const OPTIONAL = ["availability", "confidentiality", "processing-integrity", "privacy"] as const;
const COMBINATIONS = Array.from({ length: 1 << OPTIONAL.length }, (_, mask) => [
  "security",
  ...OPTIONAL.filter((_, i) => mask & (1 << i)),
]);

describe("soc2 init", () => {
  it.each(COMBINATIONS.map((c) => [c.join(",")]))(
    "scaffolds a repository that validates with no findings: %s",
    async (categories) => {
      const dir = join(await tempDir(), "compliance");
      const init = await runCliAt(
        TEST_NOW,
        "init",
        dir,
        "--categories",
        categories,
        "--organization",
        'Acme "Cloud": Inc.',
      );
      expect(init.stderr).toBe("");
      expect(init.code).toBe(0);

      const { diagnostics, repository } = validateRepository(await readRepository(dir), {
        now: TEST_NOW,
      });
      expect(diagnostics).toEqual([]);
      expect(repository.program?.organization).toBe('Acme "Cloud": Inc.');
      expect(repository.policies).toHaveLength(12);
      const coverage = computeCoverage(repository);
      expect(coverage.summary.map((s) => s.category)).toEqual(categories.split(","));
      expect(coverage.rows.filter((r) => r.status !== "covered")).toEqual([]);
    },
  );

  it("writes the workflow, an evidence folder and schema hints for editors", async () => {
    const dir = join(await tempDir(), "c");
    expect((await runCli("init", dir)).code).toBe(0);
    const workflow = await readFile(join(dir, ".github/workflows/soc2.yml"), "utf8");
    expect(workflow).toMatch(/permissions:\n\s+contents: read\n\s+pull-requests: read/);
    expect(await readdir(join(dir, "evidence"))).toContain("README.md");
    const soc2 = await readFile(join(dir, "soc2.yml"), "utf8");
    expect(soc2.split("\n")[0]).toMatch(
      /^# yaml-language-server: \$schema=https:\/\/.+\/soc2\.schema\.json$/,
    );
    expect(soc2).toMatch(/categories: \[security\]/);
    const controls = await readdir(join(dir, "controls/security"));
    const first = await readFile(join(dir, "controls/security", controls[0]!), "utf8");
    expect(first).toMatch(/^# yaml-language-server: \$schema=.+control\.schema\.json/);
    const policy = await readFile(join(dir, "policies/change-management.md"), "utf8");
    expect(policy).not.toMatch(/\{\{/);
    expect(policy).toMatch(/last_reviewed: "\d{4}-\d{2}-\d{2}"/);
  });

  it("refuses to write into a folder that is not empty, and leaves it untouched", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "notes.txt": "mine" });
    const result = await runCli("init", dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not empty/);
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });

  it("rejects unknown categories with exit 2", async () => {
    const dir = join(await tempDir(), "c");
    const result = await runCli("init", dir, "--categories", "security,availabilty");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown category availabilty/);
  });
});
