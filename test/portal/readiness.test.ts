import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { assessReadiness } from "../../src/core/audit/readiness.js";
import { contentDigest } from "../../src/core/digest.js";
import { buildSite, type SiteFile } from "../../src/core/portal/index.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { fixtureInput } from "./fixture.js";
import { brokenLinks } from "./links.js";

const text = (files: SiteFile[], path: string) =>
  files
    .find((f) => f.path === path)!
    .content.replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/** A Type 2 audit running from 2026-11-01 to 2027-10-31, one annual control, one attestation. */
function type2Files(attestationOn?: string): Record<string, string> {
  const files = minimalRepo();
  files["soc2.yml"] = files["soc2.yml"]!.replace(
    'audit: { type: 1, as_of: "2026-01-01" }',
    'audit: { type: 2, period: { start: "2026-11-01", end: "2027-10-31" } }',
  );
  if (attestationOn) {
    const content = {
      title: "Annual sign-off",
      performed_at: `${attestationOn}T10:00:00Z`,
      performed_by: { name: "Sam Okafor" },
      result: "effective",
    };
    files["evidence/attestations/sign-off.yml"] = stringify({
      version: 1,
      kind: "attestation",
      id: "attestations/sign-off",
      controls: ["GOV-01"],
      recorded_at: `${attestationOn}T10:00:00Z`,
      source: { type: "manual", name: "test" },
      digest: contentDigest(content),
      content,
    });
  }
  return files;
}

describe("the portal's readiness view", () => {
  it("is soc2 readiness's assessment, as of the site's date", () => {
    const input = fixtureInput(undefined, undefined, "2026-11-30");
    const site = buildSite(input);
    const report = assessReadiness(input.repository, { asOf: "2026-11-30" });
    const page = text(site, "readiness.html");
    expect(page).toContain("Readiness as of 2026-11-30");
    expect(page).toContain(`Gaps (${report.gaps.length})`);
    for (const gap of report.gaps) expect(page).toContain(gap.message);
    expect(brokenLinks(site)).toEqual([]);
  });

  it("expects nothing before it is due: a period that has just begun has no gap", () => {
    const site = buildSite(fixtureInput(type2Files(), undefined, "2026-11-10"));
    const page = text(site, "readiness.html");
    expect(page).toContain(
      "Type 2 audit period 2026-11-01 to 2027-10-31, assessed up to 2026-11-10",
    );
    expect(page).toContain("Gaps (0)");
    expect(page).toContain("No gap");
  });

  it("does not count a record dated after the as-of date", () => {
    const before = fixtureInput(type2Files("2026-11-20"), undefined, "2026-11-15");
    expect(assessReadiness(before.repository, { asOf: "2026-11-15" }).controls[0]).toMatchObject({
      state: "awaiting-evidence",
      recordsInPeriod: 0,
    });
    expect(text(buildSite(before), "index.html")).toMatch(
      /Readiness as of 2026-11-15 .* Security 33 33 33 0 0%/,
    );
    const after = fixtureInput(type2Files("2026-11-20"), undefined, "2026-11-25");
    expect(text(buildSite(after), "index.html")).toMatch(
      /Readiness as of 2026-11-25 .* Security 33 33 33 33 100%/,
    );
  });

  it("reports the control that missed its evidence once the period is over", () => {
    const site = buildSite(fixtureInput(type2Files(), undefined, "2027-11-01"));
    const page = text(site, "readiness.html");
    expect(page).toMatch(/control without evidence in the period .*GOV-01/);
  });

  it("says it is not assessed without a date", () => {
    const { asOf, ...input } = fixtureInput();
    expect(asOf).toBeDefined();
    const site = buildSite(input);
    expect(text(site, "readiness.html")).toContain("Not assessed");
  });
});
