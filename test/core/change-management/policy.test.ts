import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  needsControlOwners,
  readChangePolicy,
} from "../../../src/core/change-management/policy.js";

const root = new URL("../../../", import.meta.url).pathname;

describe("readChangePolicy", () => {
  it("applies the schema's defaults to a program without change_management", () => {
    expect(readChangePolicy({ owners: {} })).toEqual({
      branches: ["main"],
      required_approvals: 1,
      approvers: { users: [], teams: [], owners: [], codeowners: false, control_owners: false },
      approval_must_be_on_head: true,
      separation_of_duties: { author: true, committers: true, last_pusher: true },
      fail_on_unattributed_commits: true,
      required_checks: [],
      ticket: {
        required: false,
        pattern: "[A-Z][A-Z0-9]+-[0-9]+",
        in: ["title", "body", "branch"],
      },
      path_rules: [],
      emergency: null,
      owners: {},
      control_owners: {},
    });
  });

  it("reads a program like the example soc2.yml", () => {
    const program: unknown = parse(
      readFileSync(`${root}test/core/change-management/fixtures/repo/soc2.yml`, "utf8"),
    );
    const policy = readChangePolicy(program, {
      "controls/security/chg-01.yml": "engineering-lead",
    });
    expect(policy.required_checks).toEqual(["validate"]);
    expect(policy.emergency).toEqual({ label: "emergency-change", retrospective_review_hours: 48 });
    expect(policy.owners).toEqual({
      "engineering-lead": { github: ["praman"] },
      "security-lead": { github: ["sokafor"], github_team: "acme-cloud/security" },
    });
    expect(policy.path_rules).toEqual([
      {
        name: "Controls and policies",
        paths: ["controls/**", "policies/**", "soc2.yml"],
        approvers: {
          users: [],
          teams: [],
          owners: ["security-lead"],
          codeowners: false,
          control_owners: true,
        },
        required_checks: [],
      },
    ]);
    expect(policy.control_owners).toEqual({ "controls/security/chg-01.yml": "engineering-lead" });
    expect(needsControlOwners(policy)).toBe(true);
  });

  it("keeps explicit settings, including the ones that turn rules off", () => {
    const policy = readChangePolicy({
      change_management: {
        branches: ["main", "release/*"],
        required_approvals: 0,
        approval_must_be_on_head: false,
        separation_of_duties: { last_pusher: false },
        fail_on_unattributed_commits: false,
        ticket: { required: true, pattern: "#\\d+", in: ["body"] },
        emergency: { label: "hotfix", retrospective_review_hours: 24 },
      },
    });
    expect(policy).toMatchObject({
      branches: ["main", "release/*"],
      required_approvals: 0,
      approval_must_be_on_head: false,
      separation_of_duties: { author: true, committers: true, last_pusher: false },
      fail_on_unattributed_commits: false,
      ticket: { required: true, pattern: "#\\d+", in: ["body"] },
      emergency: { label: "hotfix", retrospective_review_hours: 24 },
    });
    expect(needsControlOwners(policy)).toBe(false);
  });

  it("falls back to the strict defaults on values the schema would reject", () => {
    const policy = readChangePolicy({
      change_management: {
        required_approvals: -1,
        approval_must_be_on_head: "yes",
        emergency: { retrospective_review_hours: 5 },
      },
    });
    expect(policy.required_approvals).toBe(1);
    expect(policy.approval_must_be_on_head).toBe(true);
    expect(policy.emergency).toBeNull();
  });

  it("lets a path rule inherit the top-level count and approvers when it sets none", () => {
    const policy = readChangePolicy({
      change_management: { path_rules: [{ name: "Infra", paths: ["infra/**"] }] },
    });
    expect(policy.path_rules[0]).toEqual({
      name: "Infra",
      paths: ["infra/**"],
      required_checks: [],
    });
  });
});
