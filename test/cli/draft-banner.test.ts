import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliAt } from "../helpers/capture.js";
import { dayOf, TEST_NOW } from "../helpers/clock.js";
import { tempDir } from "../helpers/temp-dir.js";

const BANNER =
  /DRAFT: 6 TODO placeholders left, 38 controls not implemented, 12 policies not approved\./;

async function scaffold(): Promise<string> {
  const dir = join(await tempDir(), "compliance");
  expect((await runCliAt(TEST_NOW, "init", dir, "--organization", "Acme")).code).toBe(0);
  return dir;
}

/** What an adopter does first: names the system and the people, leaving controls and policies as drafts. */
async function fillPlaceholders(dir: string): Promise<void> {
  const path = join(dir, "soc2.yml");
  const text = (await readFile(path, "utf8"))
    .replace(/TODO [^\n]*/g, "Acme Web, as it runs today")
    .replace(/^( {4}title: .*)$/gm, "$1\n    name: Dana Whitfield");
  await writeFile(path, text);
}

describe("a brand-new repository does not overstate its readiness", () => {
  it("soc2 validate warns once per placeholder, with its position and rule", async () => {
    const dir = await scaffold();
    const result = await runCliAt(TEST_NOW, "validate", dir, "--format", "json");
    expect(result.code).toBe(0);
    const { diagnostics } = JSON.parse(result.stdout) as {
      diagnostics: Array<{
        path: string;
        line: number;
        column: number;
        rule: string;
        severity: string;
      }>;
    };
    const placeholders = diagnostics.filter((d) => d.rule === "placeholder-todo");
    const lines = (await readFile(join(dir, "soc2.yml"), "utf8")).split("\n");
    // Each finding points at its TODO value (a folded scalar at its ">-"); the comment at the top
    // that mentions TODO is not a placeholder.
    const at = placeholders.map((d) => lines[d.line - 1]!.slice(d.column - 1));
    for (const text of at) expect(text).toMatch(/^(TODO|>-)/);
    expect(placeholders.map((d) => d.line)).toEqual([12, 13, 17, 19, 21, 23]);
    expect(lines[13]).toMatch(/^\s+TODO/);
    expect(lines.filter((l) => /TODO/.test(l) && !l.trimStart().startsWith("#"))).toHaveLength(6);
    expect(placeholders.every((d) => d.severity === "warning")).toBe(true);
    expect(diagnostics.filter((d) => d.rule === "owner-without-person")).toHaveLength(6);
  });

  it("soc2 summary says DRAFT and lists no control as in operation", async () => {
    const dir = await scaffold();
    const result = await runCliAt(TEST_NOW, "summary", dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(BANNER);
    // The banner comes before anything else the reader sees.
    expect(result.stdout.indexOf("DRAFT")).toBeLessThan(result.stdout.indexOf("## "));
    expect(result.stdout).toMatch(/No control in operation addresses this area yet/);
    expect(result.stdout).not.toMatch(/Multi-factor|single sign-on/i);
  });

  it("soc2 report --type 1 says DRAFT and marks no criterion addressed", async () => {
    const dir = await scaffold();
    const result = await runCliAt(TEST_NOW, "report", dir, "--type", "1", "--format", "json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      draft?: unknown;
      criteria: Array<{ status: string }>;
      policies: Array<{ reviewStatus: string }>;
    };
    expect(report.draft).toEqual({
      placeholders: 6,
      controlsNotImplemented: 38,
      policiesNotApproved: 12,
    });
    expect(report.criteria.filter((c) => c.status === "covered")).toEqual([]);
    expect(new Set(report.policies.map((p) => p.reviewStatus))).toEqual(new Set(["draft"]));
    const markdown = await runCliAt(TEST_NOW, "report", dir, "--type", "1");
    expect(markdown.stdout).toMatch(BANNER);
    expect(markdown.stdout).not.toMatch(/\baddressed\b/);
  });

  it("every portal page carries the DRAFT banner and the readiness is 0%", async () => {
    const dir = await scaffold();
    const out = join(await tempDir(), "site");
    expect((await runCliAt(TEST_NOW, "portal", dir, "--out", out)).code).toBe(0);
    const pages = (await readdir(out, { recursive: true })).filter((p) => p.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(50);
    for (const page of pages) {
      const html = await readFile(join(out, page), "utf8");
      expect(html, page).toMatch(BANNER);
    }
    const index = await readFile(join(out, "index.html"), "utf8");
    expect(index).not.toMatch(/>100%</);
    // The readiness soc2 readiness computes, as of the clock's today: nothing is ready.
    expect(index.replace(/\s+/g, " ")).toMatch(/Readiness as of \d{4}-\d{2}-\d{2}<\/h2>/);
    expect(index.replace(/\s+/g, " ")).toMatch(/<td>Security<\/td>.*?<td class="gap"> ?0% ?<\/td>/);
  });

  it("soc2 readiness counts draft policies and planned controls as gaps", async () => {
    const dir = await scaffold();
    const result = await runCliAt(TEST_NOW, "readiness", dir, "--format", "json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      gaps: Array<{ problem: string }>;
      overall: { score: number };
    };
    const count = (problem: string) => report.gaps.filter((g) => g.problem === problem).length;
    expect(count("control-not-implemented")).toBe(38);
    expect(count("policy-not-approved")).toBe(12);
    expect(count("policy-review-overdue")).toBe(0);
    expect(report.overall.score).toBe(0);
  });

  it("the banner goes once no placeholder is left, while the gaps stay in soc2 readiness", async () => {
    const dir = await scaffold();
    await fillPlaceholders(dir);
    const validate = await runCliAt(TEST_NOW, "validate", dir);
    expect(validate.stdout).toBe("");
    const summary = await runCliAt(TEST_NOW, "summary", dir);
    expect(summary.stdout).not.toMatch(/DRAFT/);
    const readiness = await runCliAt(TEST_NOW, "readiness", dir, "--as-of", dayOf(TEST_NOW));
    expect(readiness.code).toBe(1);
  });
});
