import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRepository } from "../../src/adapters/read-repository.js";
import { parseCodeOwners, ruleFor } from "../../src/core/change-management/codeowners.js";
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
    "scaffolds a draft that validates without errors and claims nothing in place: %s",
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
      // Only warnings, and only the ones a fresh scaffold must give: a TODO left in each of the
      // six system fields, and six owner roles with nobody named.
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const rules = diagnostics.map((d) => `${d.path} ${d.rule}`);
      expect(rules.filter((r) => r === "soc2.yml placeholder-todo")).toHaveLength(6);
      expect(rules.filter((r) => r === "soc2.yml owner-without-person")).toHaveLength(6);
      expect(rules).toHaveLength(12);
      expect(repository.program?.organization).toBe('Acme "Cloud": Inc.');
      expect(repository.policies).toHaveLength(12);
      // Controls start planned and policies as drafts, so no criterion counts as covered yet:
      // every in-scope one has a control, but only a planned one.
      expect(repository.controls.filter((c) => c.status !== "planned")).toEqual([]);
      expect(repository.policies.filter((p) => p.status !== "draft")).toEqual([]);
      const coverage = computeCoverage(repository);
      expect(coverage.summary.map((s) => s.category)).toEqual(categories.split(","));
      expect(coverage.rows.filter((r) => r.status !== "planned")).toEqual([]);
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
    // A draft: not approved, so no review date and no approver that would make it look current.
    expect(policy).toMatch(/^status: draft$/m);
    expect(policy).not.toMatch(/^(last_reviewed|approved_by):/m);
    expect(first).toMatch(/^status: planned$/m);
  });

  it("pins the Action by a full commit SHA and names the version in a comment", async () => {
    const dir = join(await tempDir(), "c");
    expect((await runCli("init", dir)).code).toBe(0);
    const workflow = await readFile(join(dir, ".github/workflows/soc2.yml"), "utf8");
    const uses = [...workflow.matchAll(/^\s*- uses: (\S+)@(\S+)(.*)$/gm)];
    expect(uses.map((u) => u[1])).toEqual(["actions/checkout", "soc2-as-code/soc2-as-code"]);
    for (const [, , ref, comment] of uses) {
      expect(ref).toMatch(/^[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  it("makes a placeholder team the code owner of the workflow, CODEOWNERS and soc2.yml", async () => {
    const dir = join(await tempDir(), "c");
    const init = await runCli("init", dir);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/replace @your-org\/compliance-admins in \.github\/CODEOWNERS/);
    const codeowners = parseCodeOwners(await readFile(join(dir, ".github/CODEOWNERS"), "utf8"));
    expect(codeowners.skipped).toEqual([]);
    for (const path of [".github/workflows/soc2.yml", ".github/CODEOWNERS", "soc2.yml"])
      expect(ruleFor(codeowners, path)?.owners, path).toEqual([
        { kind: "team", slug: "your-org/compliance-admins" },
      ]);
    // Only those: the team does not have to review every control and policy change.
    expect(ruleFor(codeowners, "controls/security/acc-01-sso-mfa-enforced.yml")).toBeUndefined();
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
