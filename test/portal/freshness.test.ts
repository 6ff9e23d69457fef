import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { assessReadiness } from "../../src/core/audit/readiness.js";
import { contentDigest } from "../../src/core/digest.js";
import { buildSite, type SiteFile } from "../../src/core/portal/index.js";
import { reviewFile } from "../helpers/exception-fixtures.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { fixtureFiles, fixtureInput, HOSTILE_TITLE } from "./fixture.js";
import { brokenLinks } from "./links.js";

const page = (files: SiteFile[], path: string) => files.find((f) => f.path === path)!.content;
const text = (files: SiteFile[], path: string) =>
  page(files, path)
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/** A Type 2 audit from 2026-11-01, with a monthly control evidenced in November and January. */
function monthlyFiles(): Record<string, string> {
  const files = minimalRepo();
  files["soc2.yml"] = files["soc2.yml"]!.replace(
    'audit: { type: 1, as_of: "2026-01-01" }',
    'audit: { type: 2, period: { start: "2026-11-01", end: "2027-10-31" } }',
  );
  files["controls/mon.yml"] = `id: MON-01
title: Monthly monitoring review
description: The on-call lead reviews the alerts every month.
criteria: [CC7.2]
owner: security-lead
frequency: monthly
automation: manual
evidence:
  - kind: attestation
    description: Monthly sign-off.
testing:
  procedure: Inspect the monthly sign-offs.
`;
  for (const on of ["2026-11-20", "2027-01-05"]) {
    const content = {
      title: "Monthly alert review",
      performed_at: on,
      performed_by: { name: "Sam Okafor" },
      summary: "Reviewed the month's alerts.",
      result: "no-exceptions",
      sign_off: [{ name: "Sam Okafor", role: "Head of Security", signed_on: on }],
    };
    files[`evidence/attestations/mon-${on}.yml`] = stringify({
      version: 1,
      kind: "attestation",
      id: `attestations/mon-${on}`,
      controls: ["MON-01"],
      recorded_at: `${on}T10:00:00Z`,
      source: { type: "manual", name: "test" },
      digest: contentDigest(content),
      content,
    });
  }
  return files;
}

describe("the portal's freshness view", () => {
  it("shows per control the last evidence, the overdue badge and the strip of ended intervals", () => {
    const input = fixtureInput(monthlyFiles(), undefined, "2027-02-15");
    const site = buildSite(input);
    const report = assessReadiness(input.repository, { asOf: "2027-02-15" });
    const mon = report.freshness.find((f) => f.id === "MON-01")!;
    expect(mon).toMatchObject({ overdue: true, due: "2027-02-09", evidenced: 2, missing: 1 });
    const html = page(site, "freshness.html");
    expect(text(site, "freshness.html")).toMatch(
      /MON-01 monthly 2027-01-05 attestation 2027-02-09 overdue ■ □ ■ 2\/3/,
    );
    expect(html).toContain('title="2026-12-01 to 2026-12-31: 0 records"');
    expect(html).toContain('title="2026-11-01 to 2026-11-30: 1 record"');
    // GOV-01 is annual: no interval of the period has ended yet.
    expect(text(site, "freshness.html")).toMatch(/GOV-01 annually never .* none ended yet/);
    expect(text(site, "readiness.html")).toContain("evidence freshness");
    expect(brokenLinks(site)).toEqual([]);
  });

  it("says it is not assessed without an as-of date", () => {
    const site = buildSite(fixtureInput(monthlyFiles(), undefined, ""));
    expect(text(site, "freshness.html")).toContain("Not assessed");
  });
});

describe("the portal's exceptions register with management's responses", () => {
  it("shows the response of a reviewed exception and that none is recorded for the others", () => {
    const files = {
      ...fixtureFiles(),
      ...reviewFile(
        "changes/acme/web/2026/11/pr-2",
        "2026-11-11",
        `remediation: ${JSON.stringify(HOSTILE_TITLE)}\nlinks: ["https://github.com/acme/compliance/issues/9", "javascript:alert(1)"]\n`,
      ),
    };
    const site = buildSite(fixtureInput(files, undefined, "2026-11-30"));
    const html = page(site, "exceptions.html");
    const body = text(site, "exceptions.html");
    expect(body).toMatch(
      /#2 Emergency fix .* resolved by exceptions\/changes\/acme\/web\/2026\/11\/pr-2\.yml The hotfix stopped an outage; reviewed after the merge and found appropriate\. Remediation: .* Reviewed on 2026-11-11 by Sam Okafor \(Head of Security\)/,
    );
    expect(body).toMatch(/#3 Merged without review .* resolved by .* no response recorded/);
    expect(html).toContain('href="https://github.com/acme/compliance/issues/9"');
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toContain("<script>window.__pwned");
    expect(brokenLinks(site)).toEqual([]);
  });
});
