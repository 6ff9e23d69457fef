// Drift of the later snapshot items: bypass actors, owners, Apps, invitations, audit-log bypasses,
// admins, deploy keys, webhooks, code scanning and the age of open alerts, counted to the
// snapshot's capture time; an item an older snapshot did not collect is unknown, never a pass.
import { describe, expect, it } from "vitest";
import {
  evaluateDrift,
  readDesiredState,
  type MonitoringSnapshot,
  type OrganizationSettings,
  type RepositorySettings,
} from "../../../src/core/monitoring/index.js";
import { validateRepository } from "../../../src/core/validate.js";
import { TEST_NOW } from "../../helpers/clock.js";
import { minimalRepo } from "../../helpers/minimal-repo.js";
import { organizationSettings, repositorySettings } from "./samples.js";

const CAPTURED = "2041-02-26T00:00:00.000Z";
const desired = readDesiredState({
  organization: { github: "acme" },
  system: { boundaries: { repositories: ["acme/web"] } },
  monitoring: {
    desired_state: [
      {
        control: "CHG-02",
        branch_protection: { bypass_allowed: ["OrganizationAdmin", "Team:3001"] },
      },
      {
        control: "ACC-05",
        organization: {
          owners_allowed: ["olivia"],
          apps_allowed: ["soc2-as-code"],
          max_invitation_age_days: 14,
          protection_bypasses_allowed: false,
        },
        repository: { admins_allowed: ["olivia", "team:leads"], deploy_keys_write_allowed: false },
      },
      {
        control: "VULN-01",
        repository: {
          webhooks_require_secret: true,
          webhooks_insecure_ssl_allowed: false,
          code_scanning_default_setup: true,
          max_open_alert_age_days: { critical: 7, high: 30 },
        },
      },
    ],
  },
});

const hook = (id: number, secret: boolean, insecure: boolean) => ({
  id,
  active: true,
  events: ["push"],
  url_origin: "https://ci.example.com",
  url_digest: "sha256:0",
  content_type: "json",
  insecure_ssl: insecure,
  has_secret: secret,
});

function goodRepository(overrides: Partial<RepositorySettings> = {}): RepositorySettings {
  return repositorySettings({
    branches: [
      {
        name: "main",
        protection: null,
        rules: [{ type: "non_fast_forward", ruleset_id: 5 }],
      },
    ],
    collaborators: [
      { login: "bob", id: 11, role_name: "write" },
      { login: "olivia", id: 10, role_name: "admin" },
    ],
    teams: [{ slug: "leads", id: 3001, name: "Leads", permission: "admin" }],
    rulesets: [
      {
        id: 5,
        name: "main",
        source_type: "Repository",
        source: "acme/web",
        enforcement: "active",
        bypass_actors: [
          { actor_type: "OrganizationAdmin", actor_id: null, bypass_mode: "always" },
          { actor_type: "Team", actor_id: 3001, bypass_mode: "pull_request" },
        ],
      },
    ],
    code_scanning_default_setup: {
      state: "configured",
      languages: ["python"],
      query_suite: "default",
    },
    alerts: {
      dependabot: [
        { number: 1, severity: "critical", created_at: "2041-02-20T00:00:00Z", summary: "GHSA-1" },
      ],
      code_scanning: [
        { number: 2, severity: "high", created_at: "2041-02-01T00:00:00Z", summary: "js/xss" },
      ],
      secret_scanning: [],
    },
    deploy_keys: [{ id: 1, title: "mirror", read_only: true, created_at: "2041-01-01T00:00:00Z" }],
    webhooks: [hook(1, true, false)],
    ...overrides,
  });
}

function goodOrganization(overrides: Partial<OrganizationSettings> = {}): OrganizationSettings {
  return organizationSettings({
    installations: [
      {
        id: 1,
        app_slug: "soc2-as-code",
        app_id: 9,
        repository_selection: "all",
        permissions: {},
        events: [],
      },
    ],
    invitations: [
      {
        id: 3,
        login: "dave",
        role: "direct_member",
        created_at: "2041-02-20T00:00:00Z",
        inviter: "olivia",
      },
    ],
    audit_log: { since: "2041-02-19T00:00:00.000Z", events: [] },
    ...overrides,
  });
}

const snapshots = (repo: RepositorySettings, org: OrganizationSettings): MonitoringSnapshot[] => [
  { scope: { type: "repository", name: "acme/web" }, captured_at: CAPTURED, settings: repo },
  { scope: { type: "organization", name: "acme" }, captured_at: CAPTURED, settings: org },
];
const checksOf = (repo: RepositorySettings, org: OrganizationSettings) =>
  evaluateDrift(desired, snapshots(repo, org)).flatMap((c) => c.checks);
const failing = (repo: RepositorySettings, org: OrganizationSettings) =>
  checksOf(repo, org)
    .filter((c) => c.result !== "pass")
    .map((c) => [c.requirement, c.result, c.reason]);

describe("drift of the later items", () => {
  it("passes when every item meets the desired state", () => {
    expect(failing(goodRepository(), goodOrganization())).toEqual([]);
    expect(checksOf(goodRepository(), goodOrganization()).map((c) => c.requirement)).toEqual(
      expect.arrayContaining([
        "bypass_allowed",
        "owners_allowed",
        "max_open_alert_age_days",
        "webhooks_require_secret",
      ]),
    );
  });

  it("fails each item that drifts, with a plain reason", () => {
    const repo = goodRepository({
      collaborators: [{ login: "mallory", id: 66, role_name: "admin" }],
      teams: [{ slug: "everyone", id: 1, name: "Everyone", permission: "admin" }],
      deploy_keys: [
        { id: 9, title: "deploy bot", read_only: false, created_at: "2041-01-01T00:00:00Z" },
      ],
      webhooks: [hook(4, false, true)],
      code_scanning_default_setup: {
        state: "not-configured",
        languages: [],
        query_suite: "default",
      },
      alerts: {
        dependabot: [
          {
            number: 1,
            severity: "critical",
            created_at: "2041-02-10T00:00:00Z",
            summary: "GHSA-1",
          },
        ],
        code_scanning: [],
        secret_scanning: [
          {
            number: 8,
            severity: "critical",
            created_at: "2041-02-01T00:00:00Z",
            summary: "AWS key",
          },
        ],
      },
      rulesets: [
        {
          id: 5,
          name: "main",
          source_type: "Repository",
          source: "acme/web",
          enforcement: "active",
          bypass_actors: [{ actor_type: "Integration", actor_id: 77, bypass_mode: "always" }],
        },
      ],
    });
    const org = goodOrganization({
      owners: [
        { login: "olivia", id: 10 },
        { login: "eve", id: 12 },
      ],
      installations: [
        {
          id: 2,
          app_slug: "sketchy",
          app_id: 3,
          repository_selection: "all",
          permissions: {},
          events: [],
        },
      ],
      invitations: [
        {
          id: 4,
          login: null,
          role: "admin",
          created_at: "2041-01-01T00:00:00Z",
          inviter: "olivia",
        },
      ],
      audit_log: {
        since: "2041-02-19T00:00:00.000Z",
        events: [
          {
            action: "protected_branch.policy_override",
            actor: "eve",
            created_at: "2041-02-24T10:00:00.000Z",
            repo: "acme/web",
            branch: "main",
          },
        ],
      },
    });
    expect(
      Object.fromEntries(
        failing(repo, org).map(([r, result, reason]) => [r, `${result}: ${reason}`]),
      ),
    ).toEqual({
      bypass_allowed:
        'fail: bypass actors limited to OrganizationAdmin, Team:3001; the snapshot shows Integration:77 (always) on ruleset "main"',
      owners_allowed: "fail: owners only among olivia; the snapshot shows other owners: eve",
      apps_allowed:
        "fail: installed Apps only among soc2-as-code; the snapshot shows other Apps: sketchy",
      max_invitation_age_days:
        "fail: no invitation pending over 14 days; the snapshot shows invitation 4 (by email) as admin, pending 56 days",
      protection_bypasses_allowed:
        "fail: no push bypassing branch protection since 2041-02-19T00:00:00.000Z; the snapshot shows eve on acme/web main at 2041-02-24T10:00:00.000Z",
      admins_allowed:
        "fail: admins only among olivia, team:leads; the snapshot shows other admins: mallory, team:everyone",
      deploy_keys_write_allowed:
        'fail: no deploy key with write access; the snapshot shows "deploy bot" (id 9)',
      webhooks_require_secret:
        "fail: every active webhook has a secret; the snapshot shows without one: https://ci.example.com (id 4)",
      webhooks_insecure_ssl_allowed:
        "fail: every webhook verifies TLS certificates; the snapshot shows not verifying: https://ci.example.com (id 4)",
      code_scanning_default_setup:
        "fail: code scanning default setup configured; the snapshot shows not-configured",
      max_open_alert_age_days:
        "fail: no open alert critical over 7 days, high over 30 days; the snapshot shows Dependabot #1 critical, open 16 days (GHSA-1), secret scanning #8 critical, open 25 days (AWS key)",
    });
  });

  it("counts an alert's age to the snapshot's capture time, so a re-derivation later gives the same verdict", () => {
    const repo = goodRepository();
    // The critical alert is 6 days old at capture: it passes now and in any later re-derivation.
    const again = evaluateDrift(desired, snapshots(repo, goodOrganization()));
    expect(again.find((c) => c.control === "VULN-01")!.result).toBe("pass");
  });

  it("is unknown, never a pass, for items a snapshot taken before they were collected lacks", () => {
    const unknown = failing(repositorySettings(), organizationSettings());
    expect(unknown.every(([, result]) => result === "unknown")).toBe(true);
    expect(unknown.map(([r]) => r)).toEqual(
      expect.arrayContaining([
        "apps_allowed",
        "admins_allowed",
        "webhooks_require_secret",
        "max_open_alert_age_days",
      ]),
    );
    // bypass_allowed on a branch with no ruleset holds: nothing can be bypassed.
    expect(unknown.find(([r]) => r === "apps_allowed")![2]).toMatch(
      /taken before the monitor collected it/,
    );
  });

  it("is unknown when GitHub hid the bypass actors or an alert source was not available", () => {
    const repo = goodRepository({
      rulesets: [
        {
          id: 5,
          name: "main",
          source_type: "Repository",
          source: "acme/web",
          enforcement: "active",
          bypass_actors: null,
        },
      ],
      alerts: {
        dependabot: [],
        code_scanning: { not_available: "HTTP 403 …; needs repository Code scanning alerts: read" },
        secret_scanning: [],
      },
    });
    const result = Object.fromEntries(
      failing(repo, goodOrganization()).map(([r, res, reason]) => [r, [res, reason]]),
    );
    expect(result.bypass_allowed![0]).toBe("unknown");
    expect(result.bypass_allowed![1]).toMatch(/did not show the bypass actors/);
    expect(result.max_open_alert_age_days![0]).toBe("unknown");
  });
});

describe("the new declarations in soc2.yml's schema", () => {
  const validate = (tail: string) => {
    const files = minimalRepo();
    files["soc2.yml"] += tail;
    return validateRepository(
      Object.entries(files).map(([path, text]) => {
        const bytes = new TextEncoder().encode(text);
        return { path, size: bytes.length, bytes };
      }),
      { now: TEST_NOW },
    ).diagnostics.filter((d) => d.path === "soc2.yml");
  };

  it("accepts every new requirement and the access review setting", () => {
    expect(
      validate(`monitoring:
  access_review: { control: GOV-01, every: month }
  desired_state:
    - control: GOV-01
      branch_protection: { bypass_allowed: [OrganizationAdmin, "Team:42"] }
      organization: { owners_allowed: [olivia], apps_allowed: [ci], max_invitation_age_days: 14, protection_bypasses_allowed: false }
      repository:
        admins_allowed: [olivia, "team:leads"]
        deploy_keys_write_allowed: false
        webhooks_require_secret: true
        webhooks_insecure_ssl_allowed: false
        code_scanning_default_setup: true
        max_open_alert_age_days: { critical: 7, high: 30 }
`),
    ).toEqual([]);
  });

  it("points at a malformed one with its line and column", () => {
    const [problem] = validate(`monitoring:
  desired_state:
    - control: GOV-01
      branch_protection: { bypass_allowed: [Admins] }
`);
    expect(problem).toMatchObject({ path: "soc2.yml", severity: "error" });
    expect(problem!.line).toBeGreaterThan(1);
    expect(problem!.message).toMatch(/bypass_allowed/);
    const [unknown] = validate(`monitoring:
  access_review: { control: ACC-99 }
`);
    expect(unknown).toMatchObject({ rule: "unknown-control", line: 9 });
  });
});
