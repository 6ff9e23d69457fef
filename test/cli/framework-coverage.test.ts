import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/capture.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

/** The minimal repository's control under another ID, title and criteria, with extra lines at the end. */
const BASE_CONTROL = minimalRepo()["controls/all.yml"]!;
const control = (id: string, criteria: string, extra = "") =>
  BASE_CONTROL.replace(/^id: .*$/m, `id: ${id}`)
    .replace(/^title: .*$/m, `title: Control ${id}`)
    .replace(/^criteria: .*$/m, `criteria: [${criteria}]`) + extra;

async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  await writeTree(dir, { ...minimalRepo(), ...files });
  return dir;
}

interface Json {
  framework: { id: string };
  summary: { total: number; covered: number; planned: number; gap: number; unmapped: number };
  controls: Array<{
    id: string;
    status: string;
    criteria: string[];
    controls: Array<{ id: string; through: string[]; direct: boolean; status: string }>;
  }>;
}

describe("frameworks cited by a control", () => {
  it("validates cleanly when every cited ID exists", async () => {
    const dir = await repoWith({
      "controls/chg.yml": control(
        "CHG-01",
        "CC8.1",
        "frameworks:\n  iso27001: [A.8.32]\n  nist-800-53: [CM-3, SC-23, AC-2(1)]\n",
      ),
    });
    const result = await runCli("validate", dir);
    expect(result.stdout + result.stderr).not.toContain("error:");
    expect(result.code).toBe(0);
  });

  it("names the file, line and column of an unknown ID and suggests the closest one", async () => {
    const dir = await repoWith({
      "controls/chg.yml": control(
        "CHG-01",
        "CC8.1",
        "frameworks:\n  iso27001: [A.8.32, A.8.35]\n  nist-800-53: [ZZ-3]\n",
      ),
    });
    const result = await runCli("validate", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^controls\/chg\.yml:15:22: error: "A\.8\.35" is not a control of ISO\/IEC 27001:2022 Annex A: did you mean A\.8\.\d+\? Otherwise use an ISO\/IEC 27001:2022 Annex A number, A\.5\.1 to A\.8\.34/m,
    );
    expect(result.stdout).toMatch(
      /controls\/chg\.yml:16:17: error: "ZZ-3" is not a control of NIST SP 800-53 Rev\. 5: .*use a NIST SP 800-53 rev\. 5 ID of one of the 20 families .* \[unknown-framework-control\]/,
    );
  });

  it("rejects 2013 numbering and lower-case IDs through the schema, saying what is expected", async () => {
    const dir = await repoWith({
      "controls/chg.yml": control(
        "CHG-01",
        "CC8.1",
        "frameworks:\n  iso27001: [A.12.1.2]\n  nist-800-53: [cm-3]\n",
      ),
    });
    const result = await runCli("validate", dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /controls\/chg\.yml:15:14: error: .*"A\.12\.1\.2".*2022 numbering, not 2013's/,
    );
    expect(result.stdout).toMatch(/controls\/chg\.yml:16:17: error: .*"cm-3".*upper case/);
  });
});

describe("soc2 coverage --framework", () => {
  it("covers ISO controls through the crosswalk and by direct citation, and lists the rest", async () => {
    const dir = await repoWith({
      "controls/chg.yml": control("CHG-01", "CC8.1", "frameworks:\n  iso27001: [A.7.7]\n"),
      "controls/bcp.yml": control("BCP-01", "A1.3", "status: planned\n"),
    });
    const result = await runCli("coverage", dir, "--framework", "iso27001", "--format", "json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Json;
    expect(report.framework.id).toBe("iso27001");
    expect(report.summary.total).toBe(93);
    const row = (id: string) => report.controls.find((c) => c.id === id)!;
    // A.8.32 Change management: reached from CC8.1 (and from GOV-01, which lists every Security criterion).
    expect(row("A.8.32")).toMatchObject({ status: "covered", criteria: ["CC8.1"] });
    expect(row("A.8.32").controls.find((c) => c.id === "CHG-01")).toEqual(
      expect.objectContaining({ through: ["CC8.1"], direct: false }),
    );
    // A.7.7 Clear desk has no crosswalk relationship: covered only because CHG-01 cites it.
    expect(row("A.7.7")).toMatchObject({ status: "covered", criteria: [] });
    expect(row("A.7.7").controls).toEqual([
      expect.objectContaining({ id: "CHG-01", through: [], direct: true }),
    ]);
    // A.8.6 Capacity management relates only to A1.1, which no control addresses.
    expect(row("A.8.6")).toMatchObject({ status: "gap", criteria: ["A1.1"], controls: [] });
    // A.5.30 ICT readiness: from CC9.1 (GOV-01, implemented) — and A1.3 (BCP-01, planned).
    expect(row("A.5.30").status).toBe("covered");
    expect(row("A.5.32")).toMatchObject({ status: "unmapped", criteria: [], controls: [] });
    expect(
      report.summary.covered +
        report.summary.planned +
        report.summary.gap +
        report.summary.unmapped,
    ).toBe(93);
  });

  it("prints a table with the gaps and the unmapped controls, and lists cited IDs outside the NIST list", async () => {
    const dir = await repoWith({
      "controls/chg.yml": control("CHG-01", "CC8.1", "frameworks:\n  nist-800-53: [SC-23]\n"),
    });
    const result = await runCli("coverage", dir, "--framework", "nist-800-53");
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Coverage of NIST SP 800-53 Rev. 5 through the crosswalk");
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^CM-3 +covered +CHG-01, GOV-01 +CC8\.1 +Configuration Change Control$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^SC-23 +covered +CHG-01 \(direct\) +- +\(cited; not in this project's list\)$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^PT-5 +GAP +- +P1\.1 +Privacy Notice$/));
    expect(result.stdout).toMatch(
      /\n\d+ NIST SP 800-53 Rev\. 5 controls: \d+ covered, 0 planned, \d+ gap\(s\), 0 unmapped\nNot covered: .*PT-5/,
    );
  });

  it("refuses an unknown framework with a usage error", async () => {
    const result = await runCli("coverage", ".", "--framework", "iso9001");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'unknown --framework "iso9001": use one of iso27001, nist-800-53',
    );
  });
});

describe("soc2 readiness --framework", () => {
  interface Lens {
    framework: { id: string };
    asOf: string;
    rows: Array<{ id: string; state: string; controls: Array<{ id: string; state: string }> }>;
    summary: { total: number; ready: number; score: number };
  }

  it("sees this repository's readiness through ISO/IEC 27001: each control as ready as the best program control reaching it", async () => {
    const asOf = "2026-11-26";
    const plain = await runCli("readiness", ".", "--as-of", asOf, "--format", "json");
    const states = new Map(
      (JSON.parse(plain.stdout) as { controls: Array<{ id: string; state: string }> }).controls.map(
        (c) => [c.id, c.state],
      ),
    );
    const result = await runCli(
      "readiness",
      ".",
      "--as-of",
      asOf,
      "--framework",
      "iso27001",
      "--format",
      "json",
    );
    expect(result.code).toBe(1);
    const lens = JSON.parse(result.stdout) as Lens;
    expect(lens).toMatchObject({ framework: { id: "iso27001" }, asOf });
    expect(lens.rows).toHaveLength(93);
    for (const row of lens.rows) {
      for (const c of row.controls) expect(c.state, `${row.id} ${c.id}`).toBe(states.get(c.id));
      if (row.controls.length > 0)
        expect(row.state, row.id).toBe(
          row.controls.some((c) => c.state === "ready") ? "ready" : "not-ready",
        );
    }
    expect(lens.rows.find((r) => r.id === "A.5.32")?.state).toBe("unmapped");
    expect(lens.summary.score).toBe(Math.round((lens.summary.ready / 93) * 100));
  });

  it("prints a table and a summary line", async () => {
    const result = await runCli(
      "readiness",
      ".",
      "--as-of",
      "2026-11-26",
      "--framework",
      "nist-800-53",
    );
    expect(result.stdout.split("\n")[0]).toBe("Readiness through NIST SP 800-53 Rev. 5");
    expect(result.stdout).toMatch(
      /\n\d+ NIST SP 800-53 Rev\. 5 controls as of 2026-11-26: \d+ ready, \d+ not ready, \d+ gap\(s\), 0 unmapped; score \d+%\n$/,
    );
  });
});
