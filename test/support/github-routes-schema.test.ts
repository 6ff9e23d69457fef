import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ROUTES,
  startGitHubStandIn,
  type GitHubStandIn,
} from "../../src/dev/github-stand-in/index.js";
import {
  checkResponse,
  createOpenApiChecker,
  findOperation,
  type OpenApiChecker,
} from "./github-openapi.js";
import { client, seedScenario, type Scenario } from "./github-scenario.js";
import { seedMonitoringItems } from "./github-monitoring-items.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let s: Scenario;
let request: ReturnType<typeof client>;

beforeAll(async () => {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  s = seedScenario(gh.state);
  // Continuous monitoring's settings, so its lists answer with real items.
  gh.state.settings.configureOrganization("acme", {
    twoFactorRequired: true,
    owners: [s.alice],
    members: [s.bob],
    outsideCollaborators: [s.carol],
  });
  gh.state.settings.setSecurity("acme/web", {
    secretScanning: "enabled",
    pushProtection: "enabled",
  });
  gh.state.settings.addCollaborator("acme/web", { account: s.carol, role: "admin", outside: true });
  seedMonitoringItems(gh, s);
  // A delivery GitHub could not make (nothing listens on port 9): one attempt to list and redeliver.
  gh.state.hooks.configure({ url: "http://127.0.0.1:9/hook", secret: "s" });
  made.attempt = String((await gh.state.hooks.send("push", { ref: "refs/heads/main" })).id);
  const minted = await client(
    gh,
    APP_JWT,
  )(`POST /app/installations/${s.installation.id}/access_tokens`);
  request = client(gh, minted.data.token);
});

afterAll(async () => {
  await gh.close();
});

interface Call {
  route: string;
  url: () => string;
  body?: () => unknown;
  status: number;
  /** Another credential than the installation token (the App's own JWT). */
  headers?: Record<string, string>;
  /** The App's JWT instead of the installation token. */
  asApp?: boolean;
}

const APP_JWT = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";

const b64 = (text: string) => Buffer.from(text).toString("base64");

// Calls run in order; later ones use objects earlier ones created (a blob, a tree, a commit).
const made: Record<string, string> = {};

const CALLS: Call[] = [
  { route: "GET /app", url: () => "/app", status: 200 },
  {
    route: "GET /app/hook/deliveries",
    url: () => "/app/hook/deliveries?per_page=1",
    status: 200,
    asApp: true,
  },
  {
    route: "POST /app/hook/deliveries/{delivery_id}/attempts",
    url: () => `/app/hook/deliveries/${made.attempt}/attempts`,
    status: 202,
    asApp: true,
  },
  {
    route: "POST /app/installations/{installation_id}/access_tokens",
    url: () => `/app/installations/${s.installation.id}/access_tokens`,
    body: () => ({ permissions: { contents: "write" } }),
    status: 201,
  },
  {
    route: "GET /repos/{owner}/{repo}/installation",
    url: () => "/repos/acme/web/installation",
    status: 200,
  },
  { route: "GET /repos/{owner}/{repo}", url: () => "/repos/acme/web", status: 200 },
  { route: "GET /repos/{owner}/{repo}", url: () => "/repos/acme/missing", status: 404 },
  {
    route: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    url: () => "/repos/acme/web/pulls/1",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    url: () => `/repos/acme/web/pulls/${s.merged.number}`,
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    url: () => "/repos/acme/web/pulls/1/reviews",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits",
    url: () => "/repos/acme/web/pulls/1/commits",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
    url: () => "/repos/acme/web/pulls/1/files",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline",
    url: () => "/repos/acme/web/issues/1/timeline?per_page=100",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline",
    url: () => `/repos/acme/web/issues/${s.merged.number}/timeline`,
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/contents/{path}",
    url: () => "/repos/acme/web/contents/.github%2FCODEOWNERS?ref=main",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/contents/{path}",
    url: () => "/repos/acme/web/contents/src",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/contents/{path}",
    url: () => "/repos/acme/web/contents/nothing.md",
    status: 404,
  },
  {
    route: "GET /repos/{owner}/{repo}/commits",
    url: () => "/repos/acme/web/commits?per_page=5&path=package.json",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/commits/{ref}",
    url: () => `/repos/acme/web/commits/${s.merged.mergeCommitSha}`,
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/commits/{ref}",
    url: () => "/repos/acme/web/commits/0000000",
    status: 422,
  },
  {
    route: "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
    url: () => `/repos/acme/web/commits/${s.pr.headSha}/check-runs`,
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/commits/{ref}/status",
    url: () => `/repos/acme/web/commits/${s.pr.headSha}/status`,
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
    url: () => `/repos/acme/web/commits/${s.merged.mergeCommitSha}/pulls`,
    status: 200,
  },
  {
    route: "GET /app/installations",
    url: () => "/app/installations?per_page=100",
    headers: { authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln" },
    status: 200,
  },
  {
    route: "GET /installation/repositories",
    url: () => "/installation/repositories?per_page=100",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/pulls",
    url: () => "/repos/acme/web/pulls?state=closed&sort=updated&direction=desc&per_page=100",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/activity",
    url: () => `/repos/acme/web/activity?ref=refs%2Fheads%2F${s.pr.headRef}&per_page=100`,
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/activity",
    url: () => "/repos/acme/web/activity?activity_type=push&direction=asc&per_page=1",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/activity",
    url: () => "/repos/acme/web/activity?activity_type=pushed",
    status: 422,
  },
  {
    route: "GET /repos/{owner}/{repo}/compare/{basehead}",
    url: () => "/repos/acme/web/compare/main...feature%2Fgreeting",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/branches/{branch}",
    url: () => "/repos/acme/web/branches/main",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/branches/{branch}",
    url: () => "/repos/acme/evidence/branches/main",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/branches/{branch}/protection",
    url: () => "/repos/acme/web/branches/main/protection",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/branches/{branch}/protection",
    url: () => "/repos/acme/evidence/branches/main/protection",
    status: 404,
  },
  {
    route: "GET /repos/{owner}/{repo}/rules/branches/{branch}",
    url: () => "/repos/acme/web/rules/branches/main",
    status: 200,
  },
  {
    route: "GET /orgs/{org}/teams/{team_slug}/members",
    url: () => "/orgs/acme/teams/leads/members?role=all",
    status: 200,
  },
  { route: "GET /orgs/{org}", url: () => "/orgs/acme", status: 200 },
  { route: "GET /orgs/{org}/members", url: () => "/orgs/acme/members?role=admin", status: 200 },
  {
    route: "GET /orgs/{org}/outside_collaborators",
    url: () => "/orgs/acme/outside_collaborators",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/branches",
    url: () => "/repos/acme/web/branches?protected=true",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/collaborators",
    url: () => "/repos/acme/web/collaborators?affiliation=outside",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}",
    url: () => "/repos/acme/web/rulesets/1?includes_parents=true",
    status: 200,
  },
  { route: "GET /repos/{owner}/{repo}/teams", url: () => "/repos/acme/web/teams", status: 200 },
  { route: "GET /orgs/{org}/invitations", url: () => "/orgs/acme/invitations", status: 200 },
  { route: "GET /orgs/{org}/installations", url: () => "/orgs/acme/installations", status: 200 },
  {
    route: "GET /repos/{owner}/{repo}/code-scanning/default-setup",
    url: () => "/repos/acme/web/code-scanning/default-setup",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/dependabot/alerts",
    url: () => "/repos/acme/web/dependabot/alerts?state=open&severity=critical,high",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/code-scanning/alerts",
    url: () => "/repos/acme/web/code-scanning/alerts?state=open",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/secret-scanning/alerts",
    url: () => "/repos/acme/web/secret-scanning/alerts?state=open",
    status: 200,
  },
  { route: "GET /repos/{owner}/{repo}/keys", url: () => "/repos/acme/web/keys", status: 200 },
  { route: "GET /repos/{owner}/{repo}/hooks", url: () => "/repos/acme/web/hooks", status: 200 },
  {
    route: "GET /orgs/{org}/audit-log",
    url: () => "/orgs/acme/audit-log?phrase=action%3Aprotected_branch&per_page=1",
    status: 200,
  },
  {
    route: "POST /repos/{owner}/{repo}/pulls",
    url: () => "/repos/acme/web/pulls",
    body: () => ({ title: "Access review 2041-Q1", head: "access-review", base: "main" }),
    status: 201,
  },
  {
    route: "POST /repos/{owner}/{repo}/pulls",
    url: () => "/repos/acme/web/pulls",
    body: () => ({ title: "Again", head: "access-review", base: "main" }),
    status: 422,
  },
  {
    route: "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    url: () =>
      `/repos/acme/web/pulls/${[...s.web.pulls.values()].find((p) => p.headRef === "access-review")!.number}/requested_reviewers`,
    body: () => ({ reviewers: ["bob"], team_reviewers: ["leads"] }),
    status: 201,
  },
  {
    route: "POST /repos/{owner}/{repo}/issues",
    url: () => "/repos/acme/web/issues",
    body: () => ({ title: "Drift: CHG-02", body: "what drifted", labels: ["soc2-drift"] }),
    status: 201,
  },
  {
    route: "GET /repos/{owner}/{repo}/issues",
    url: () => "/repos/acme/web/issues?labels=soc2-drift&state=all",
    status: 200,
  },
  {
    route: "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
    url: () => `/repos/acme/web/issues/${gh.state.issues.of("acme/web")[0]!.number}`,
    body: () => ({ state: "closed", state_reason: "completed" }),
    status: 200,
  },
  {
    route: "POST /repos/{owner}/{repo}/git/blobs",
    url: () => "/repos/acme/evidence/git/blobs",
    body: () => ({ content: "{}\n", encoding: "utf-8" }),
    status: 201,
  },
  {
    route: "POST /repos/{owner}/{repo}/git/blobs",
    url: () => "/repos/acme/evidence/git/blobs",
    body: () => ({ encoding: "utf-8" }),
    status: 422,
  },
  {
    route: "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
    url: () => `/repos/acme/evidence/git/blobs/${made.blob}`,
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/git/ref/{ref}",
    url: () => "/repos/acme/evidence/git/ref/heads%2Fmain",
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/git/commits/{commit_sha}",
    url: () => `/repos/acme/evidence/git/commits/${made.head}`,
    status: 200,
  },
  {
    route: "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    url: () => `/repos/acme/evidence/git/trees/${made.baseTree}?recursive=1`,
    status: 200,
  },
  {
    route: "POST /repos/{owner}/{repo}/git/trees",
    url: () => "/repos/acme/evidence/git/trees",
    body: () => ({
      base_tree: made.baseTree,
      tree: [{ path: "evidence/1.json", mode: "100644", type: "blob", sha: made.blob }],
    }),
    status: 201,
  },
  {
    route: "POST /repos/{owner}/{repo}/git/commits",
    url: () => "/repos/acme/evidence/git/commits",
    body: () => ({ message: "Record", tree: made.tree, parents: [made.head] }),
    status: 201,
  },
  {
    route: "POST /repos/{owner}/{repo}/git/refs",
    url: () => "/repos/acme/evidence/git/refs",
    body: () => ({ ref: "refs/heads/records", sha: made.head }),
    status: 201,
  },
  {
    route: "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    url: () => "/repos/acme/evidence/git/refs/heads%2Fmain",
    body: () => ({ sha: made.commit, force: false }),
    status: 200,
  },
  {
    route: "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    url: () => "/repos/acme/evidence/git/refs/heads%2Fmain",
    body: () => ({ sha: made.head }),
    status: 422,
  },
  {
    route: "PUT /repos/{owner}/{repo}/contents/{path}",
    url: () => "/repos/acme/evidence/contents/evidence%2F2.json",
    body: () => ({ message: "Record 2", content: b64("{}\n") }),
    status: 201,
  },
  {
    route: "PUT /repos/{owner}/{repo}/contents/{path}",
    url: () => "/repos/acme/evidence/contents/evidence%2F2.json",
    body: () => ({ message: "Record 2 again", content: b64("{}\n"), sha: made.blob }),
    status: 200,
  },
  {
    route: "PUT /repos/{owner}/{repo}/contents/{path}",
    url: () => "/repos/acme/evidence/contents/evidence%2F2.json",
    body: () => ({ message: "Stale", content: b64("[]\n"), sha: "0".repeat(40) }),
    status: 409,
  },
  {
    route: "PUT /repos/{owner}/{repo}/contents/{path}",
    url: () => "/repos/acme/evidence/contents/evidence%2F2.json",
    body: () => ({ message: "No sha", content: b64("[]\n") }),
    status: 422,
  },
];

describe("every route answers what GitHub's OpenAPI description documents", () => {
  test("every route is an operation of the subset, and every operation of the subset is served", () => {
    const served = ROUTES.map((r) => `${r.method} ${r.template}`);
    for (const r of ROUTES)
      expect(findOperation(r.method, r.template), `${r.method} ${r.template}`).toBeDefined();
    expect(new Set(served).size).toBe(served.length);
    expect(served).toHaveLength(57);
    expect(new Set(CALLS.map((c) => c.route))).toEqual(new Set(served));
  });

  test.each(CALLS.map((call, i) => [`${i + 1}. ${call.route} → ${call.status}`, call] as const))(
    "%s",
    async (_name, call) => {
      if (
        call.route.startsWith("GET /repos/{owner}/{repo}/git/commits") ||
        call.route.startsWith("GET /repos/{owner}/{repo}/git/trees")
      ) {
        const ref = await request("/repos/acme/evidence/git/ref/heads/main");
        made.head = ref.data.object.sha;
        made.baseTree = (
          await request(`/repos/acme/evidence/git/commits/${made.head}`)
        ).data.tree.sha;
      }
      const method = call.route.split(" ")[0] as string;
      const before = checker.violations.length;
      const response = await request(`${method} ${call.url()}`, {
        ...(call.body ? { body: call.body() } : {}),
        ...(call.headers ? { headers: call.headers } : {}),
        ...(call.asApp ? { headers: { authorization: `bearer ${APP_JWT}` } } : {}),
      });
      expect(response.status, JSON.stringify(response.data)).toBe(call.status);
      if (call.route === "POST /repos/{owner}/{repo}/git/blobs" && response.status === 201)
        made.blob = response.data.sha;
      if (call.route === "POST /repos/{owner}/{repo}/git/trees") made.tree = response.data.sha;
      if (call.route === "POST /repos/{owner}/{repo}/git/commits") made.commit = response.data.sha;
      const found = checker.violations.slice(before);
      // The deliberately bad requests (a blob without content, an unknown activity type) are the
      // only ones expected to break the description.
      if (call.status === 422 && /git\/blobs|activity/.test(call.route)) {
        expect(found.map((v) => v.kind)).toEqual(["request"]);
        checker.violations.splice(before);
      } else {
        expect(found).toEqual([]);
      }
    },
  );

  test("the checker would notice a stand-in answer missing a required field", async () => {
    const pull = (await request("/repos/acme/web/pulls/1")).data;
    expect(checkResponse("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", 200, pull)).toEqual(
      [],
    );
    const broken = { ...pull };
    delete broken.merged;
    expect(
      checkResponse("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", 200, broken)[0],
    ).toMatch(/must have required property 'merged'/);
  });
});
