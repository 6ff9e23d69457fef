import { describe, expect, it } from "vitest";
import {
  effectiveProtection,
  evaluateDrift,
  readDesiredState,
  type MonitoringSnapshot,
} from "../../../src/core/monitoring/index.js";
import { organizationSettings, repositorySettings, strongProtection } from "./samples.js";

const program = {
  organization: { name: "Acme", github: "acme" },
  system: { boundaries: { repositories: ["acme/web"] } },
  monitoring: {
    desired_state: [
      {
        control: "CHG-02",
        branch_protection: {
          required_approving_reviews: 1,
          dismiss_stale_reviews: true,
          block_force_pushes: true,
          required_status_checks: ["soc2 / validate"],
        },
      },
      {
        control: "AC-03",
        organization: {
          two_factor_required: true,
          max_owners: 2,
          outside_collaborators_allowed: false,
        },
      },
      {
        control: "VM-01",
        repository: { secret_scanning: true, outside_collaborator_admin_allowed: false },
      },
    ],
  },
};
const desired = readDesiredState(program);
const repo = (settings = repositorySettings()): MonitoringSnapshot => ({
  scope: { type: "repository", name: "acme/web" },
  captured_at: "2041-02-26T00:00:00.000Z",
  settings,
  record: "settings-snapshots/github/repos/acme/web/2041/02/20410226T000000Z",
});
const org = (settings = organizationSettings()): MonitoringSnapshot => ({
  scope: { type: "organization", name: "acme" },
  captured_at: "2041-02-26T00:00:00.000Z",
  settings,
});
const byControl = (snapshots: MonitoringSnapshot[]) =>
  Object.fromEntries(evaluateDrift(desired, snapshots).map((c) => [c.control, c]));

describe("the desired state in soc2.yml", () => {
  it("takes the organization and repositories from the program when monitoring names none", () => {
    expect(desired.organization).toBe("acme");
    expect(desired.repositories).toEqual(["acme/web"]);
    expect(desired.declarations.map((d) => [d.control, d.index])).toEqual([
      ["CHG-02", 0],
      ["AC-03", 1],
      ["VM-01", 2],
    ]);
  });
});

describe("drift", () => {
  it("passes every control when the snapshots meet the desired state", () => {
    const result = evaluateDrift(desired, [repo(), org()]);
    expect(result.map((c) => [c.control, c.result])).toEqual([
      ["AC-03", "pass"],
      ["CHG-02", "pass"],
      ["VM-01", "pass"],
    ]);
    expect(result.find((c) => c.control === "CHG-02")!.checks[0]).toMatchObject({
      target: "repository acme/web branch main",
      requirement: "required_approving_reviews",
      record: "settings-snapshots/github/repos/acme/web/2041/02/20410226T000000Z",
    });
  });

  it("fails a control with a plain reason when a setting drifts", () => {
    const weakened = strongProtection();
    weakened.allow_force_pushes = { enabled: true };
    weakened.required_pull_request_reviews = {
      required_approving_review_count: 0,
      dismiss_stale_reviews: false,
    };
    const result = byControl([
      repo(repositorySettings({ branches: [{ name: "main", protection: weakened, rules: [] }] })),
      org(),
    ]);
    expect(result["CHG-02"]!.result).toBe("fail");
    const failing = result["CHG-02"]!.checks.filter((c) => c.result === "fail");
    expect(failing.map((c) => c.requirement)).toEqual([
      "required_approving_reviews",
      "dismiss_stale_reviews",
      "block_force_pushes",
    ]);
    expect(failing[0]!.reason).toBe(
      "at least 1 approving review(s) required; the snapshot shows 0",
    );
    expect(result["AC-03"]!.result).toBe("pass");
  });

  it("counts rulesets: the stricter of classic protection and rules wins", () => {
    const rules = [
      {
        type: "pull_request",
        parameters: {
          required_approving_review_count: 2,
          dismiss_stale_reviews_on_push: true,
          require_code_owner_review: false,
          require_last_push_approval: false,
        },
      },
      { type: "non_fast_forward" },
      {
        type: "required_status_checks",
        parameters: { required_status_checks: [{ context: "soc2 / validate" }] },
      },
    ];
    const result = byControl([
      repo(repositorySettings({ branches: [{ name: "main", protection: null, rules }] })),
      org(),
    ]);
    expect(result["CHG-02"]!.result).toBe("pass");
    expect(effectiveProtection({ name: "main", protection: null, rules })).toMatchObject({
      required_approving_review_count: 2,
      force_pushes_blocked: true,
      deletions_blocked: false,
    });
  });

  it("an unprotected branch allows force pushes and deletion", () => {
    expect(effectiveProtection({ name: "main", protection: null, rules: [] })).toMatchObject({
      force_pushes_blocked: false,
      deletions_blocked: false,
      required_approving_review_count: 0,
    });
  });

  it("says unknown, never fail, when a part could not be read", () => {
    const result = byControl([
      repo(
        repositorySettings({
          branches: [
            {
              name: "main",
              protection: null,
              rules: { not_available: "HTTP 403: Upgrade to GitHub Pro" },
            },
          ],
          security_and_analysis: {
            not_available: "HTTP 403: Resource not accessible by integration",
          },
        }),
      ),
      org(
        organizationSettings({
          organization: {
            login: "acme",
            id: 1,
            two_factor_requirement_enabled: null,
            default_repository_permission: null,
          },
        }),
      ),
    ]);
    expect(result["CHG-02"]!.result).toBe("unknown");
    expect(result["CHG-02"]!.checks[0]!.reason).toContain(
      "rulesets: not available: HTTP 403: Upgrade to GitHub Pro",
    );
    expect(result["VM-01"]!.checks[0]).toMatchObject({
      result: "unknown",
      reason: "not available: HTTP 403: Resource not accessible by integration",
    });
    expect(result["AC-03"]!.checks[0]!.reason).toBe(
      "not available: GitHub shows the two-factor requirement only to organization owners",
    );
  });

  it("fails the organization and repository requirements it can see broken", () => {
    const result = byControl([
      repo(
        repositorySettings({
          outside_collaborators: [{ login: "contractor", id: 99, role_name: "admin" }],
        }),
      ),
      org(
        organizationSettings({
          owners: [
            { login: "a", id: 1 },
            { login: "b", id: 2 },
            { login: "c", id: 3 },
          ],
          outside_collaborators: [{ login: "contractor", id: 99 }],
          organization: {
            login: "acme",
            id: 1,
            two_factor_requirement_enabled: false,
            default_repository_permission: "write",
          },
        }),
      ),
    ]);
    expect(result["AC-03"]!.checks.map((c) => [c.requirement, c.result, c.reason])).toEqual([
      [
        "two_factor_required",
        "fail",
        "two-factor authentication required for members; the snapshot shows not required",
      ],
      ["max_owners", "fail", "at most 2 owner(s); the snapshot shows 3: a, b, c"],
      [
        "outside_collaborators_allowed",
        "fail",
        "no outside collaborators; the snapshot shows contractor",
      ],
    ]);
    expect(result["VM-01"]!.checks.at(-1)).toMatchObject({
      result: "fail",
      reason: "no outside collaborator with admin; the snapshot shows contractor",
    });
  });

  it("uses the latest snapshot of each target and reports targets never snapshotted", () => {
    const old = {
      ...repo(repositorySettings({ branches: [{ name: "main", protection: null, rules: [] }] })),
      captured_at: "2041-02-01T00:00:00.000Z",
    };
    expect(byControl([old, repo(), org()])["CHG-02"]!.result).toBe("pass");
    const none = byControl([]);
    expect(none["CHG-02"]!.checks).toEqual([
      expect.objectContaining({ result: "unknown", reason: "no snapshot of repository acme/web" }),
    ]);
  });

  it("is deterministic: the same input gives the same verdict", () => {
    const input = [repo(), org()];
    expect(JSON.stringify(evaluateDrift(desired, input))).toBe(
      JSON.stringify(evaluateDrift(desired, [...input].reverse())),
    );
  });
});

describe("a declaration with nothing to check", () => {
  it("is unknown, not a vacuous pass", () => {
    const none = readDesiredState({
      monitoring: {
        desired_state: [{ control: "CHG-02", branch_protection: { block_force_pushes: true } }],
      },
    });
    expect(evaluateDrift(none, [])).toEqual([
      {
        control: "CHG-02",
        result: "unknown",
        checks: [
          expect.objectContaining({
            target: "repositories",
            reason:
              "no in-scope repository: list them under monitoring.repositories or system.boundaries.repositories",
          }),
        ],
      },
    ]);
  });
});
