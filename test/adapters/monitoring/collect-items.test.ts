// The later snapshot items against the loopback GitHub stand-in, every request and answer checked
// against GitHub's OpenAPI description: rulesets' bypass actors, team access, collaborators,
// invitations, installed Apps, code scanning, open critical/high alerts, deploy keys, webhooks
// (never their secrets) and the audit log (GitHub Enterprise Cloud only).
import { getOctokit } from "@actions/github";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../../src/adapters/github/client.js";
import { collectOrganizationSettings } from "../../../src/adapters/github/settings/collect-organization.js";
import { collectRepositorySettings } from "../../../src/adapters/github/settings/collect-repository.js";
import { partReader } from "../../../src/adapters/github/settings/read-part.js";
import { startGitHubStandIn, type GitHubStandIn } from "../../../src/dev/github-stand-in/index.js";
import { TEST_NOW } from "../../helpers/clock.js";
import { createOpenApiChecker, type OpenApiChecker } from "../../support/github-openapi.js";
import { seedMonitoringItems } from "../../support/github-monitoring-items.js";
import { seedScenario, type Scenario } from "../../support/github-scenario.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let client: GitHubClient;
let s: Scenario;
const waits: number[] = [];
const read = () =>
  partReader(client, {
    sleep: async (ms) => void waits.push(ms),
    now: () => TEST_NOW,
    random: () => 0.5,
  });

beforeEach(async () => {
  waits.length = 0;
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  client = getOctokit("ghs_test", { baseUrl: gh.url }) as unknown as GitHubClient;
  s = seedScenario(gh.state);
  gh.state.settings.configureOrganization("acme", { owners: [s.alice], members: [s.bob] });
  gh.state.settings.addCollaborator("acme/web", { account: s.bob, role: "write", outside: false });
  gh.state.settings.addCollaborator("acme/web", { account: s.carol, role: "admin", outside: true });
  seedMonitoringItems(gh, s);
});

afterEach(async () => {
  checker.assertClean();
  await gh?.close();
});

describe("repository items", () => {
  it("reads bypass actors, team access, every collaborator, code scanning, open critical and high alerts, deploy keys and webhooks", async () => {
    const settings = await collectRepositorySettings(read(), "acme/web");
    expect(settings.rulesets).toEqual([
      {
        id: 1,
        name: "main protection",
        source_type: "Repository",
        source: "acme/web",
        enforcement: "active",
        bypass_actors: [
          { actor_type: "OrganizationAdmin", actor_id: null, bypass_mode: "always" },
          { actor_type: "Team", actor_id: 3001, bypass_mode: "pull_request" },
        ],
      },
    ]);
    expect(settings.teams).toEqual([
      { slug: "leads", id: 3001, name: "Leads", permission: "admin" },
    ]);
    expect(settings.collaborators).toEqual([
      { login: "bob", id: s.bob.id, role_name: "write" },
      { login: "carol", id: s.carol.id, role_name: "admin" },
    ]);
    expect(settings.code_scanning_default_setup).toEqual({
      state: "configured",
      languages: ["javascript-typescript"],
      query_suite: "default",
    });
    expect(settings.alerts).toEqual({
      dependabot: [
        {
          number: 1,
          severity: "critical",
          created_at: "2041-01-01T00:00:00Z",
          summary: "GHSA-aaaa-bbbb-cccc npm/left-pad: Prototype pollution",
        },
      ],
      code_scanning: [
        {
          number: 3,
          severity: "high",
          created_at: "2041-02-01T00:00:00Z",
          summary: "js/sql-injection: Database query built from user-controlled sources",
        },
      ],
      secret_scanning: [
        {
          number: 4,
          severity: "critical",
          created_at: "2041-02-25T00:00:00Z",
          summary: "GitHub Personal Access Token",
        },
      ],
    });
    expect(settings.deploy_keys).toEqual([
      { id: 11, title: "deploy bot", read_only: false, created_at: "2041-01-02T00:00:00Z" },
      { id: 12, title: "mirror", read_only: true, created_at: "2041-01-03T00:00:00Z" },
    ]);
    expect(settings.webhooks).toMatchObject([
      { id: 21, url_origin: "https://ci.example.com", insecure_ssl: true, has_secret: false },
      { id: 22, url_origin: "https://chat.example.com", insecure_ssl: false, has_secret: true },
    ]);
    // No secret reaches the snapshot: not the leaked token, the URL's credentials, nor the hook secret.
    const stored = JSON.stringify(settings);
    for (const secret of ["ghp_", "hunter2", "token=abc", "s3cret", "********", "ssh-ed25519"])
      expect(stored).not.toContain(secret);
  });

  it("reads every page of Dependabot alerts, which GitHub pages by cursor", async () => {
    const alerts = gh.state.settings.items.repository("acme/web").dependabotAlerts;
    for (let n = 100; n < 230; n++)
      alerts.push({
        number: n,
        state: "open",
        severity: "high",
        ecosystem: "npm",
        packageName: `p${n}`,
        ghsaId: `GHSA-${n}`,
        summary: "x",
        createdAt: "2041-01-01T00:00:00Z",
      });
    const settings = await collectRepositorySettings(read(), "acme/web");
    expect(
      settings.alerts &&
        Array.isArray(settings.alerts.dependabot) &&
        settings.alerts.dependabot.length,
    ).toBe(131);
    expect(gh.requests.filter((r) => r.path.includes("/dependabot/alerts")).length).toBe(2);
  });

  it("records what the plan or token does not offer as not available, and waits out a rate limit", async () => {
    gh.state.settings.items.repository("acme/web").codeScanningDefaultSetup = undefined;
    gh.state.faults.push(
      {
        method: "GET",
        pathPattern: "/repos/{owner}/{repo}/secret-scanning/alerts",
        status: 404,
        message: "Secret scanning is disabled on this repository.",
      },
      {
        method: "GET",
        pathPattern: "/repos/{owner}/{repo}/hooks",
        status: 403,
        secondaryRateLimit: true,
        retryAfter: 3,
      },
    );
    const settings = await collectRepositorySettings(read(), "acme/web");
    expect(settings.code_scanning_default_setup).toEqual({
      not_available: expect.stringMatching(
        /^HTTP 403 from GET \/repos\/acme\/web\/code-scanning\/default-setup: .*; needs repository Administration: read/,
      ),
    });
    expect(settings.alerts?.secret_scanning).toEqual({
      not_available: expect.stringContaining("needs repository Secret scanning alerts: read"),
    });
    expect(waits).toEqual([3000]);
    expect(settings.webhooks).toHaveLength(2);
  });
});

describe("organization items", () => {
  it("reads pending invitations, installed Apps and the audit log's events since the last snapshot", async () => {
    const settings = await collectOrganizationSettings(read(), "acme", {
      auditLogSince: "2041-02-23T12:00:00.000Z",
    });
    expect(settings.invitations).toEqual([
      {
        id: 31,
        login: "dave",
        role: "admin",
        created_at: "2041-01-10T00:00:00Z",
        inviter: "alice",
      },
    ]);
    expect(
      Array.isArray(settings.installations) && settings.installations.map((i) => i.app_slug),
    ).toEqual(["ci-bot", gh.state.app.slug]); // by installation id
    // The role grant on the 23rd at 10:00 is before the window: only the bypass remains.
    expect(settings.audit_log).toEqual({
      since: "2041-02-23T12:00:00.000Z",
      events: [
        {
          action: "protected_branch.policy_override",
          actor: "alice",
          created_at: "2041-02-24T10:00:00.000Z",
          repo: "acme/web",
          branch: "main",
        },
      ],
    });
    const phrases = gh.requests
      .filter((r) => r.path.startsWith("/orgs/acme/audit-log"))
      .map((r) => new URL(r.url, gh.url).searchParams.get("phrase"));
    expect(phrases).toContain("action:protected_branch created:>=2041-02-23");
  });

  it("says the audit log is not available on a plan without it", async () => {
    gh.state.settings.items.organization("acme").auditLog = undefined;
    const settings = await collectOrganizationSettings(read(), "acme", {
      auditLogSince: "2041-02-19T00:00:00.000Z",
    });
    expect(settings.audit_log).toEqual({
      not_available: expect.stringMatching(
        /^HTTP 404 from GET \/orgs\/acme\/audit-log: Not Found; needs .*GitHub Enterprise Cloud/,
      ),
    });
  });
});
