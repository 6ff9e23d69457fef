// The settings collector against the loopback GitHub stand-in: every request and answer checked
// against GitHub's OpenAPI description; refusals (plan, permissions) become "not available",
// rate limits are waited out, lists are read across pages.
import { getOctokit } from "@actions/github";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../../src/adapters/github/client.js";
import { collectOrganizationSettings } from "../../../src/adapters/github/settings/collect-organization.js";
import { collectRepositorySettings } from "../../../src/adapters/github/settings/collect-repository.js";
import { partReader } from "../../../src/adapters/github/settings/read-part.js";
import { effectiveProtection } from "../../../src/core/monitoring/index.js";
import { startGitHubStandIn, type GitHubStandIn } from "../../../src/dev/github-stand-in/index.js";
import { TEST_NOW } from "../../helpers/clock.js";
import { createOpenApiChecker, type OpenApiChecker } from "../../support/github-openapi.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let client: GitHubClient;
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
});

afterEach(async () => {
  checker.assertClean();
  await gh?.close();
});

function seedOrganization() {
  gh.state.addOrganization("acme");
  const olivia = gh.state.addUser("olivia");
  const members = Array.from({ length: 130 }, (_, i) =>
    gh.state.addUser(`member-${String(i).padStart(3, "0")}`),
  );
  const contractor = gh.state.addUser("contractor");
  gh.state.settings.configureOrganization("acme", {
    twoFactorRequired: true,
    defaultRepositoryPermission: "read",
    owners: [olivia],
    members,
    outsideCollaborators: [contractor],
  });
  return { olivia, contractor };
}

describe("organization settings", () => {
  it("reads the two-factor requirement, base permission, owners, every member across pages and outside collaborators", async () => {
    const { olivia, contractor } = seedOrganization();
    const settings = await collectOrganizationSettings(read(), "acme");
    expect(settings.organization).toMatchObject({
      login: "acme",
      two_factor_requirement_enabled: true,
      default_repository_permission: "read",
    });
    expect(settings.owners).toEqual([{ login: "olivia", id: olivia.id }]);
    expect(Array.isArray(settings.members) && settings.members.length).toBe(131);
    expect(settings.outside_collaborators).toEqual([{ login: "contractor", id: contractor.id }]);
    const memberPages = gh.requests.filter(
      (r) => r.path.startsWith("/orgs/acme/members") && r.url.includes("role=all"),
    );
    expect(memberPages.length).toBe(2); // 100 a page
  });

  it("records a list the token may not read as not available, with the permission it needs", async () => {
    seedOrganization();
    gh.state.faults.push({
      method: "GET",
      pathPattern: "/orgs/{org}/outside_collaborators",
      status: 403,
      forbidden: true,
    });
    const settings = await collectOrganizationSettings(read(), "acme");
    expect(settings.outside_collaborators).toEqual({
      not_available:
        "HTTP 403 from GET /orgs/acme/outside_collaborators: Resource not accessible by integration; needs organization Members: read",
    });
    expect(settings.owners).toHaveLength(1);
  });

  it("waits out a rate limit as GitHub asks, then reads", async () => {
    seedOrganization();
    gh.state.faults.push({
      method: "GET",
      pathPattern: "/orgs/{org}",
      status: 403,
      secondaryRateLimit: true,
      retryAfter: 7,
    });
    const settings = await collectOrganizationSettings(read(), "acme");
    expect(settings.organization).toMatchObject({ two_factor_requirement_enabled: true });
    expect(waits).toEqual([7000]);
  });

  it("shows a two-factor requirement GitHub hides from non-owners as null", async () => {
    gh.state.addOrganization("acme");
    const settings = await collectOrganizationSettings(read(), "acme");
    expect(settings.organization).toMatchObject({
      two_factor_requirement_enabled: null,
      default_repository_permission: null,
    });
  });
});

describe("repository settings", () => {
  function seedRepository() {
    gh.state.addOrganization("acme");
    const repo = gh.state.addRepository({ owner: "acme", name: "web", files: { "a.txt": "a\n" } });
    repo.protectBranch("main", {
      requiredApprovingReviewCount: 1,
      dismissStaleReviews: true,
      requireCodeOwnerReviews: true,
      requiredStatusChecks: ["test"],
      enforceAdmins: true,
    });
    repo.createBranch("release");
    repo.setBranchRules("release", [{ type: "non_fast_forward" }, { type: "deletion" }]);
    repo.createBranch("scratch");
    gh.state.settings.setSecurity("acme/web", {
      secretScanning: "enabled",
      pushProtection: "disabled",
      dependabotSecurityUpdates: "enabled",
    });
    gh.state.settings.addCollaborator("acme/web", {
      account: gh.state.addUser("contractor"),
      role: "admin",
      outside: true,
    });
    return repo;
  }

  it("reads protection and rules of the default branch and every protected branch, security features and outside collaborators", async () => {
    seedRepository();
    const settings = await collectRepositorySettings(read(), "acme/web");
    expect(settings.repository).toMatchObject({ full_name: "acme/web", default_branch: "main" });
    expect(settings.branches.map((b) => b.name)).toEqual(["main", "release"]);
    const main = settings.branches[0]!;
    expect(JSON.stringify(main.protection)).not.toContain("http");
    expect(effectiveProtection(main)).toMatchObject({
      required_approving_review_count: 1,
      dismiss_stale_reviews: true,
      required_status_checks: ["test"],
      force_pushes_blocked: true,
      enforce_admins: true,
    });
    expect(settings.branches[1]).toMatchObject({ protection: null });
    expect(effectiveProtection(settings.branches[1]!)).toMatchObject({
      force_pushes_blocked: true,
      deletions_blocked: true,
    });
    expect(settings.security_and_analysis).toEqual({
      secret_scanning: { status: "enabled" },
      secret_scanning_push_protection: { status: "disabled" },
      dependabot_security_updates: { status: "enabled" },
    });
    expect(settings.outside_collaborators).toEqual([
      expect.objectContaining({ login: "contractor", role_name: "admin" }),
    ]);
  });

  it("records protection the plan does not offer as not available, and a missing security block with why", async () => {
    gh.state.addOrganization("acme");
    gh.state.addRepository({ owner: "acme", name: "web", files: { "a.txt": "a\n" } });
    gh.state.faults.push({
      method: "GET",
      pathPattern: "/repos/{owner}/{repo}/branches/{branch}/protection",
      status: 403,
      forbidden: true,
      message: "Upgrade to GitHub Pro or make this repository public to enable this feature.",
    });
    const settings = await collectRepositorySettings(read(), "acme/web");
    expect(settings.branches[0]!.protection).toEqual({
      not_available: expect.stringMatching(
        /^HTTP 403 from GET \/repos\/acme\/web\/branches\/main\/protection: Upgrade to GitHub Pro or make this repository public to enable this feature\.; needs repository Administration: read/,
      ),
    });
    expect(settings.security_and_analysis).toEqual({
      not_available: expect.stringContaining("only to callers with admin access"),
    });
    expect(settings.branches[0]!.rules).toEqual([]);
  });

  it("retries a server error, and fails with a clear message when GitHub keeps failing", async () => {
    seedRepository();
    gh.state.faults.push({
      method: "GET",
      pathPattern: "/repos/{owner}/{repo}/rules/branches/{branch}",
      status: 502,
      times: 2,
    });
    const ok = await collectRepositorySettings(read(), "acme/web");
    expect(ok.branches[0]!.rules).toEqual([]);
    expect(waits.length).toBe(2);
    gh.state.faults.push({
      method: "GET",
      pathPattern: "/repos/{owner}/{repo}",
      status: 500,
      times: 20,
    });
    await expect(collectRepositorySettings(read(), "acme/web")).rejects.toThrow(
      /^reading GET \/repos\/acme\/web failed \(HTTP 500\): Server Error/,
    );
  });
});
