import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { contentDigest } from "../../src/core/digest.js";
import { buildSite, type SiteFile } from "../../src/core/portal/index.js";
import { fixtureFiles, fixtureInput } from "./fixture.js";
import { brokenLinks } from "./links.js";

const text = (files: SiteFile[], path: string) =>
  files
    .find((f) => f.path === path)!
    .content.replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

const HEAD = "d".repeat(40);

/** A change record of a pull request to the compliance repository that changed `files`. */
function policyChange(
  number: number,
  mergedAt: string,
  approver: string | undefined,
  files: Array<{ path: string; status: string; previous_path?: string }>,
): [string, string] {
  const content = {
    repository: { id: 9, full_name: "acme/compliance" },
    change: {
      type: "pull-request",
      number,
      title: `Policy update ${number}`,
      author: { id: 20, login: "dana", type: "User" },
      base_ref: "main",
      head_sha: HEAD,
      merged_sha: String(number).repeat(40).slice(0, 40),
      merge_method: "squash",
      merged_at: mergedAt,
    },
    commits: [],
    reviews: approver
      ? [
          {
            reviewer: { id: 21, login: approver, type: "User" },
            state: "APPROVED",
            commit_id: HEAD,
            submitted_at: mergedAt,
          },
        ]
      : [],
    checks: [],
    verdict: { result: approver ? "pass" : "fail", evaluated_at: mergedAt, rules: [] },
    facts: { changed_files: files, changed_files_complete: true },
  };
  const id = `changes/acme/compliance/pr-${number}`;
  return [
    `evidence/${id}.yml`,
    stringify({
      version: 1,
      kind: "change-record",
      id,
      controls: ["CHG-01"],
      recorded_at: mergedAt,
      source: { type: "github-app", name: "test" },
      digest: contentDigest(content),
      content,
    }),
  ];
}

describe("a policy's approvals, from the change records of the pull requests that changed it", () => {
  const files = fixtureFiles();
  const changes = [
    policyChange(40, "2026-02-01T10:00:00Z", "sokafor", [
      { path: "policies/infosec.md", status: "added" },
    ]),
    policyChange(41, "2026-06-01T10:00:00Z", "praman", [
      { path: "policies/infosec.md", status: "modified" },
      { path: "controls/all.yml", status: "modified" },
    ]),
    policyChange(42, "2026-07-01T10:00:00Z", "lmorgan", [
      { path: "README.md", status: "modified" },
    ]),
  ];
  for (const [path, textOf] of changes) files[path] = textOf;
  const site = buildSite(fixtureInput(files));
  const page = text(site, "policies/POL-INFOSEC.html");

  it("says who approved the current version, on which pull request", () => {
    expect(page).toMatch(/Approved by praman on #41 \(2026-06-01\)/);
    expect(page).not.toMatch(/Approved by -/);
  });

  it("lists every recorded version, oldest first, and no change that left the file alone", () => {
    const section = page.slice(page.indexOf("Versions and their approval"));
    expect(section).toMatch(/acme\/compliance#40 Policy update 40 added sokafor pass/);
    expect(section).toMatch(/acme\/compliance#41 Policy update 41 modified praman pass/);
    expect(section.indexOf("#40")).toBeLessThan(section.indexOf("#41"));
    expect(section).not.toContain("#42");
    expect(brokenLinks(site)).toEqual([]);
  });

  it("follows a rename, and flags a version merged without approval", () => {
    const renamed = fixtureFiles();
    const [path, record] = policyChange(43, "2026-08-01T10:00:00Z", undefined, [
      { path: "policies/infosec.md", status: "renamed", previous_path: "policies/security.md" },
    ]);
    renamed[path] = record;
    const p = text(buildSite(fixtureInput(renamed)), "policies/POL-INFOSEC.html");
    expect(p).toMatch(/Approved by nobody \(no approval on the head\) on #43/);
    expect(p).toMatch(/#43 Policy update 43 renamed nobody fail/);
  });

  it("says when no change record names the file", () => {
    const p = text(buildSite(fixtureInput()), "policies/POL-INFOSEC.html");
    expect(p).toContain("No change record lists policies/infosec.md among its changed files");
    expect(p).toMatch(/Approved by not recorded/);
  });
});
