import type { GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import type { Scenario } from "./github-scenario.js";

/**
 * The later monitoring items on the scenario's acme/web and organization acme: a ruleset with
 * bypass actors, team access, an invitation, another App, code scanning, alerts (a leaked secret
 * among them), deploy keys, webhooks, an audit log, and a branch to open an access review from.
 */
export function seedMonitoringItems(gh: GitHubStandIn, s: Scenario): void {
  const web = gh.state.settings.items.repository("acme/web");
  web.rulesets.push({
    id: 1, // the id GET …/rules/branches/{b} gives rules that name none
    name: "main protection",
    sourceType: "Repository",
    source: "acme/web",
    enforcement: "active",
    bypassActors: [
      { actor_id: null, actor_type: "OrganizationAdmin", bypass_mode: "always" },
      { actor_id: 3001, actor_type: "Team", bypass_mode: "pull_request" },
    ],
    include: ["~DEFAULT_BRANCH"],
  });
  web.teams.push({ teamId: 3001, slug: "leads", name: "Leads", permission: "admin" });
  web.codeScanningDefaultSetup = {
    state: "configured",
    languages: ["javascript-typescript"],
    querySuite: "default",
    updatedAt: "2041-01-01T00:00:00Z",
  };
  web.dependabotAlerts.push(
    {
      number: 1,
      state: "open",
      severity: "critical",
      ecosystem: "npm",
      packageName: "left-pad",
      ghsaId: "GHSA-aaaa-bbbb-cccc",
      summary: "Prototype pollution",
      createdAt: "2041-01-01T00:00:00Z",
    },
    {
      number: 2,
      state: "open",
      severity: "low",
      ecosystem: "npm",
      packageName: "tiny",
      ghsaId: "GHSA-dddd-eeee-ffff",
      summary: "Minor",
      createdAt: "2041-02-20T00:00:00Z",
    },
  );
  web.codeScanningAlerts.push({
    number: 3,
    state: "open",
    securitySeverity: "high",
    ruleId: "js/sql-injection",
    ruleDescription: "Database query built from user-controlled sources",
    createdAt: "2041-02-01T00:00:00Z",
  });
  web.secretScanningAlerts.push({
    number: 4,
    state: "open",
    secretType: "github_personal_access_token",
    secretTypeDisplayName: "GitHub Personal Access Token",
    secret: "ghp_" + "x".repeat(36),
    createdAt: "2041-02-25T00:00:00Z",
  });
  web.deployKeys.push(
    {
      id: 11,
      title: "deploy bot",
      key: "ssh-ed25519 AAAA",
      readOnly: false,
      createdAt: "2041-01-02T00:00:00Z",
    },
    {
      id: 12,
      title: "mirror",
      key: "ssh-ed25519 BBBB",
      readOnly: true,
      createdAt: "2041-01-03T00:00:00Z",
    },
  );
  web.webhooks.push(
    {
      id: 21,
      active: true,
      events: ["push"],
      url: "https://ci:hunter2@ci.example.com/hook?token=abc",
      insecureSsl: "1",
      contentType: "json",
      createdAt: "2041-01-04T00:00:00Z",
    },
    {
      id: 22,
      active: true,
      events: ["pull_request", "push"],
      url: "https://chat.example.com/hook",
      secret: "s3cret",
      insecureSsl: "0",
      contentType: "json",
      createdAt: "2041-01-05T00:00:00Z",
    },
  );
  const org = gh.state.settings.items.organization("acme");
  org.invitations.push({
    id: 31,
    login: "dave",
    email: null,
    role: "admin",
    createdAt: "2041-01-10T00:00:00Z",
    inviter: s.alice,
  });
  org.installations.push({
    id: 41,
    appId: 4100,
    appSlug: "ci-bot",
    repositorySelection: "all",
    permissions: { contents: "write", administration: "write" },
    events: ["push"],
    createdAt: "2041-01-11T00:00:00Z",
  });
  org.auditLog = [
    {
      action: "protected_branch.policy_override",
      actor: "alice",
      created_at: Date.parse("2041-02-24T10:00:00Z"),
      repo: "acme/web",
      branch: "main",
    },
    {
      action: "org.update_member",
      actor: "alice",
      created_at: Date.parse("2041-02-23T10:00:00Z"),
      user: "bob",
      permission: "admin",
    },
  ];
  s.web.createBranch("access-review");
}
