import { afterEach, describe, expect, test } from "vitest";
import {
  PULL_COMMITS_LIMIT,
  startGitHubStandIn,
  tokenFingerprint,
  type GitHubStandIn,
  type StandInOptions,
} from "../../src/dev/github-stand-in/index.js";
import { createOpenApiChecker } from "./github-openapi.js";
import { client, seedScenario } from "./github-scenario.js";

const servers: GitHubStandIn[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: StandInOptions = {}): Promise<GitHubStandIn> {
  const server = await startGitHubStandIn(options);
  servers.push(server);
  return server;
}

describe("the loopback server", () => {
  test("listens on 127.0.0.1 only, on a random port, and stops", async () => {
    const gh = await startGitHubStandIn();
    expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gh.apiBase).toBe(`${gh.url}/api/v3`);
    expect(gh.host).toBe(gh.url.slice("http://".length));
    const root = await fetch(`${gh.url}/`);
    expect(root.status).toBe(200);
    expect(((await root.json()) as { note: string }).note).toMatch(/stand-in/i);
    await gh.close();
    await expect(fetch(`${gh.url}/`)).rejects.toThrow();
  });

  test("serves the same routes at / and under /api/v3, with URLs in the answer's layout", async () => {
    const gh = await start();
    seedScenario(gh.state);
    const request = client(gh);
    const plain = await request("/repos/acme/web");
    const enterprise = await request("/repos/acme/web", { base: gh.apiBase });
    expect(plain.status).toBe(200);
    expect(enterprise.status).toBe(200);
    expect(plain.data.url).toBe(`${gh.url}/repos/acme/web`);
    expect(enterprise.data.url).toBe(`${gh.apiBase}/repos/acme/web`);
    expect(enterprise.data.html_url).toBe(`${gh.url}/acme/web`);
    expect(gh.requests.map((r) => [r.path, r.enterprisePrefix])).toEqual([
      ["/repos/acme/web", false],
      ["/repos/acme/web", true],
    ]);
  });

  test("answers 401 Bad credentials without an authorization header, and records the attempt", async () => {
    const gh = await start();
    seedScenario(gh.state);
    const response = await client(gh, null)("/repos/acme/web/pulls/1");
    expect(response.status).toBe(401);
    expect(response.data.message).toBe("Bad credentials");
    expect(gh.requests[0]).toMatchObject({
      status: 401,
      auth: null,
      route: "/repos/{owner}/{repo}/pulls/{pull_number}",
    });
  });

  test("answers unknown routes with GitHub's 404 and records them", async () => {
    const gh = await start();
    const checker = createOpenApiChecker();
    const gh2 = await start({ onRequest: checker.onRequest });
    for (const server of [gh, gh2]) {
      const response = await client(server)("DELETE /repos/acme/web/git/refs/heads/main");
      expect(response.status).toBe(404);
      expect(response.data).toMatchObject({
        message: "Not Found",
        documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com/),
      });
      expect(server.requests[0]).toMatchObject({ method: "DELETE", route: null, status: 404 });
    }
    expect(checker.violations).toHaveLength(1);
    expect(checker.violations[0]?.message).toMatch(/not an operation of the OpenAPI subset/);
  });

  test("records headers without credential values, and which token was used", async () => {
    const gh = await start();
    seedScenario(gh.state);
    const token = (
      await client(
        gh,
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln",
      )("POST /app/installations/42/access_tokens")
    ).data.token as string;
    expect(token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    await client(gh, token)("/repos/acme/web");
    await client(gh, "ghp_personal")("/repos/acme/web");
    const [mint, withInstallation, withPat] = gh.requests;
    expect(mint?.auth).toMatchObject({ scheme: "token", kind: "app-jwt" });
    expect(withInstallation?.auth).toEqual({
      scheme: "token",
      kind: "installation-token",
      installationId: 42,
      fingerprint: tokenFingerprint(token),
    });
    expect(withPat?.auth?.kind).toBe("personal-token");
    expect(withInstallation?.headers.authorization).toBe("token [redacted]");
    expect(JSON.stringify(gh.requests.map(({ response: _r, ...rest }) => rest))).not.toContain(
      token,
    );
  });

  test("passes every request to onRequest with its template, params, query and body", async () => {
    const seen: unknown[] = [];
    const gh = await start({ onRequest: (r) => seen.push({ ...r, headers: undefined }) });
    seedScenario(gh.state);
    await client(gh)("/repos/acme/web/contents/.github%2FCODEOWNERS?ref=main");
    await client(gh)("POST /repos/acme/evidence/git/blobs", { body: { content: "x" } });
    expect(seen).toEqual([
      {
        method: "GET",
        path: "/repos/acme/web/contents/.github%2FCODEOWNERS",
        route: "/repos/{owner}/{repo}/contents/{path}",
        params: { owner: "acme", repo: "web", path: ".github/CODEOWNERS" },
        query: { ref: "main" },
        body: undefined,
        headers: undefined,
      },
      {
        method: "POST",
        path: "/repos/acme/evidence/git/blobs",
        route: "/repos/{owner}/{repo}/git/blobs",
        params: { owner: "acme", repo: "evidence" },
        query: {},
        body: { content: "x" },
        headers: undefined,
      },
    ]);
  });

  test("answers malformed JSON with 400", async () => {
    const gh = await start();
    seedScenario(gh.state);
    const response = await fetch(`${gh.url}/repos/acme/evidence/git/blobs`, {
      method: "POST",
      headers: { authorization: "token x", "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe("Problems parsing JSON");
  });
});

describe("pagination", () => {
  test("honours per_page and page and sends GitHub's Link header", async () => {
    const gh = await start();
    const { web, alice } = seedScenario(gh.state);
    const pr = web.addPullRequest({ author: alice, head: "many" });
    pr.addCommits(75);
    const request = client(gh);
    const first = await request(`/repos/acme/web/pulls/${pr.number}/commits`);
    expect(first.data).toHaveLength(30);
    const links = first.headers.get("link") ?? "";
    expect(links).toContain(
      `<${gh.url}/repos/acme/web/pulls/${pr.number}/commits?page=2>; rel="next"`,
    );
    expect(links).toContain(
      `<${gh.url}/repos/acme/web/pulls/${pr.number}/commits?page=3>; rel="last"`,
    );

    const last = await request(`/repos/acme/web/pulls/${pr.number}/commits?per_page=50&page=2`, {
      base: gh.apiBase,
    });
    expect(last.data).toHaveLength(25);
    expect(last.data[24].commit.message).toBe("Commit 75");
    const lastLinks = last.headers.get("link") ?? "";
    expect(lastLinks).toContain(
      `<${gh.apiBase}/repos/acme/web/pulls/${pr.number}/commits?per_page=50&page=1>; rel="prev"`,
    );
    expect(lastLinks).toContain('rel="first"');
    expect(lastLinks).not.toContain('rel="next"');

    const capped = await request(`/repos/acme/web/pulls/${pr.number}/commits?per_page=500`);
    expect(capped.data).toHaveLength(75);
    const single = await request(`/repos/acme/web/pulls/${pr.number}/reviews`);
    expect(single.headers.get("link")).toBeNull();
  });

  test("stops a pull request's commit list at 250, like GitHub", async () => {
    const gh = await start();
    const { web, alice } = seedScenario(gh.state);
    const pr = web.addPullRequest({ author: alice, head: "huge" });
    pr.addCommits(260);
    const request = client(gh);
    const shas: string[] = [];
    let url: string | undefined = `/repos/acme/web/pulls/${pr.number}/commits?per_page=100`;
    while (url) {
      const page = await request(url);
      shas.push(...page.data.map((c: { sha: string }) => c.sha));
      const next = /<([^>]+)>; rel="next"/.exec(page.headers.get("link") ?? "")?.[1];
      url = next?.slice(gh.url.length);
    }
    expect(shas).toHaveLength(PULL_COMMITS_LIMIT);
    expect(shas).toEqual(pr.commitShas.slice(0, 250));
    expect((await request(`/repos/acme/web/pulls/${pr.number}`)).data.commits).toBe(260);
  });
});

describe("fault injection", () => {
  test("fails the next N matching requests, then serves normally", async () => {
    const gh = await start();
    seedScenario(gh.state);
    gh.state.faults.push({
      method: "GET",
      pathPattern: "/repos/{owner}/{repo}/pulls/{pull_number}",
      times: 2,
      status: 500,
    });
    const request = client(gh);
    expect((await request("/repos/acme/web")).status).toBe(200);
    expect((await request("/repos/acme/web/pulls/1")).status).toBe(500);
    expect((await request("/repos/acme/web/pulls/2")).status).toBe(500);
    expect((await request("/repos/acme/web/pulls/1")).status).toBe(200);
    expect(gh.state.faults).toEqual([]);
    expect(gh.requests.map((r) => r.fault)).toEqual([false, true, true, false]);
  });

  test("matches concrete paths, regular expressions and methods", async () => {
    const gh = await start();
    seedScenario(gh.state);
    gh.state.faults.push(
      { pathPattern: "/repos/acme/web/branches/main", status: 502 },
      {
        method: "PATCH",
        pathPattern: /\/git\/refs\//,
        status: 409,
        message: "Reference update failed",
      },
    );
    const request = client(gh);
    expect((await request("/repos/acme/web/branches/main")).status).toBe(502);
    expect((await request("/repos/acme/evidence/git/ref/heads/main")).status).toBe(200);
    const conflict = await request("PATCH /repos/acme/evidence/git/refs/heads/main", {
      body: { sha: "0".repeat(40) },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.data.message).toBe("Reference update failed");
  });

  test("imitates GitHub's secondary rate limit: 403 with retry-after", async () => {
    const gh = await start();
    seedScenario(gh.state);
    gh.state.faults.push({
      pathPattern: /.*/,
      status: 403,
      secondaryRateLimit: true,
      retryAfter: 2,
    });
    const response = await client(gh)("/repos/acme/web");
    expect(response.status).toBe(403);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(response.data.message).toMatch(/^You have exceeded a secondary rate limit/);
  });

  test("imitates GitHub's primary rate limit: x-ratelimit-remaining 0 and a reset time", async () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const gh = await start({ now: () => now });
    seedScenario(gh.state);
    gh.state.faults.push({ pathPattern: /.*/, status: 429, retryAfter: 30 });
    const response = await client(gh)("/repos/acme/web");
    expect(response.status).toBe(429);
    expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(response.headers.get("x-ratelimit-reset")).toBe(String(now.getTime() / 1000 + 30));
    expect(response.data.message).toMatch(/rate limit exceeded/);
  });
});

describe("pull request facts", () => {
  test("reviews keep their commit and dismissed state; the timeline tells the story", async () => {
    const gh = await start();
    const { pr, carol } = seedScenario(gh.state);
    const request = client(gh);
    const reviews = (await request("/repos/acme/web/pulls/1/reviews")).data;
    expect(
      reviews.map((r: { user: { login: string }; state: string }) => [r.user.login, r.state]),
    ).toEqual([
      ["bob", "APPROVED"],
      ["carol", "DISMISSED"],
      ["carol", "CHANGES_REQUESTED"],
    ]);
    expect(reviews[0].commit_id).not.toBe(pr.headSha);
    const events = (await request("/repos/acme/web/issues/1/timeline?per_page=100")).data.map(
      (e: { event: string }) => e.event,
    );
    expect(events).toEqual([
      "committed",
      "reviewed",
      "committed",
      "reviewed",
      "review_dismissed",
      "reviewed",
      "labeled",
      "committed",
      "head_ref_force_pushed",
    ]);
    const dismissed = (await request("/repos/acme/web/issues/1/timeline?per_page=100")).data[4];
    expect(dismissed).toMatchObject({
      actor: { login: carol.login },
      dismissed_review: { state: "approved", dismissal_message: "Pushed again" },
    });
    const without = (await request("/repos/acme/web/issues/1/timeline?exclude=committed")).data;
    expect(without.some((e: { event: string }) => e.event === "committed")).toBe(false);
  });

  test("commits carry the account they map to, or null when unattributed", async () => {
    const gh = await start();
    const { web, alice } = seedScenario(gh.state);
    const pr = web.addPullRequest({
      author: alice,
      commits: [
        { message: "mine", author: alice },
        { message: "by email", author: { name: "Alice at work", email: "alice@example.com" } },
        { message: "nobody", author: { name: "ghost", email: "ghost@nowhere.test" } },
      ],
    });
    const commits = (await client(gh)(`/repos/acme/web/pulls/${pr.number}/commits`)).data;
    expect(
      commits.map((c: { author: { login: string } | null }) => c.author?.login ?? null),
    ).toEqual(["alice", "alice", null]);
    expect(commits[2].commit.author).toMatchObject({ name: "ghost", email: "ghost@nowhere.test" });
    expect(commits[1].parents[0].sha).toBe(commits[0].sha);
  });

  test("changed files come from the trees, with renames and line counts", async () => {
    const gh = await start();
    const { web, alice } = seedScenario(gh.state);
    const pr = web.addPullRequest({
      author: alice,
      commits: [
        {
          files: {
            "src/app.ts": null,
            "src/renamed.ts": "export const answer = 42;\n",
            "README.md": "# web\n\nMore.\n",
            "docs/new.md": "a\nb\n",
          },
        },
      ],
    });
    const files = (await client(gh)(`/repos/acme/web/pulls/${pr.number}/files`)).data;
    expect(
      files.map((f: Record<string, unknown>) => [
        f.filename,
        f.status,
        f.additions,
        f.deletions,
        f.previous_filename,
      ]),
    ).toEqual([
      ["README.md", "modified", 2, 0, undefined],
      ["docs/new.md", "added", 2, 0, undefined],
      ["src/renamed.ts", "renamed", 0, 0, "src/app.ts"],
    ]);
  });

  test("merging lands the changes on the base branch and maps commits to the pull request", async () => {
    const gh = await start();
    const { web, merged, bob } = seedScenario(gh.state);
    expect(web.readFile("package.json")).toBe('{ "x": "2" }\n');
    const request = client(gh);
    const pull = (await request(`/repos/acme/web/pulls/${merged.number}`)).data;
    expect(pull).toMatchObject({
      state: "closed",
      merged: true,
      merged_by: { login: bob.login },
      merge_commit_sha: merged.mergeCommitSha,
    });
    for (const sha of [merged.commitShas[0], merged.mergeCommitSha]) {
      const pulls = (await request(`/repos/acme/web/commits/${sha}/pulls`)).data;
      expect(pulls.map((p: { number: number }) => p.number)).toEqual([merged.number]);
    }
    const mergeCommit = (await request(`/repos/acme/web/commits/${merged.mergeCommitSha}`)).data;
    expect(mergeCommit.parents).toHaveLength(2);
    expect(mergeCommit.commit.verification.verified).toBe(true);
    expect(mergeCommit.files.map((f: { filename: string }) => f.filename)).toEqual([
      "package.json",
    ]);
    web.unindexedCommits.add(merged.mergeCommitSha as string);
    expect((await request(`/repos/acme/web/commits/${merged.mergeCommitSha}/pulls`)).data).toEqual(
      [],
    );
  });

  test("squash and rebase merges", async () => {
    const gh = await start();
    const { web, alice, bob } = seedScenario(gh.state);
    const squash = web.addPullRequest({
      author: alice,
      commits: [{ files: { "a.txt": "a\n" } }, { files: { "b.txt": "b\n" } }],
    });
    const squashSha = squash.merge({ by: bob, method: "squash" });
    expect(web.git.commits.get(squashSha)?.parents).toHaveLength(1);
    expect(web.git.commits.get(squashSha)?.message).toBe(`${squash.title} (#${squash.number})`);
    const rebase = web.addPullRequest({
      author: alice,
      commits: [{ files: { "c.txt": "c\n" } }, { files: { "d.txt": "d\n" } }],
    });
    rebase.merge({ by: bob, method: "rebase" });
    expect(
      web
        .log()
        .slice(0, 3)
        .map((c) => c.sha),
    ).toEqual([...rebase.landedShas].reverse().concat(squashSha));
    expect(web.listFiles()).toEqual(
      expect.arrayContaining(["a.txt", "b.txt", "c.txt", "d.txt", "package.json"]),
    );
  });

  test("forks, retargeted bases and comparisons", async () => {
    const gh = await start();
    const { web, alice, bob } = seedScenario(gh.state);
    const fork = gh.state.addRepository({ owner: alice, name: "web-fork", private: false });
    web.createBranch("release");
    const pr = web.addPullRequest({
      author: alice,
      headRepository: fork,
      head: "patch-1",
      commits: [{ files: { "fix.txt": "fixed\n" } }],
    });
    pr.changeBase("release", { by: bob });
    const request = client(gh);
    const pull = (await request(`/repos/acme/web/pulls/${pr.number}`)).data;
    expect(pull.head).toMatchObject({
      label: "alice:patch-1",
      repo: { full_name: "alice/web-fork" },
    });
    expect(pull.base).toMatchObject({ ref: "release", repo: { full_name: "acme/web" } });
    const timeline = (await request(`/repos/acme/web/issues/${pr.number}/timeline`)).data;
    expect(timeline.at(-1)).toMatchObject({ event: "base_ref_changed", actor: { login: "bob" } });
    const ahead = (await request(`/repos/acme/web/compare/main...${pr.headSha}`)).data;
    expect(ahead).toMatchObject({ status: "ahead", ahead_by: 1, behind_by: 0, total_commits: 1 });
    expect(ahead.files.map((f: { filename: string }) => f.filename)).toEqual(["fix.txt"]);
    web.commit({ message: "Hotfix", files: { "hot.txt": "x\n" } });
    const diverged = (await request(`/repos/acme/web/compare/main...${pr.headSha}`)).data;
    expect(diverged).toMatchObject({ status: "diverged", ahead_by: 1, behind_by: 1 });
    const behind = (await request(`/repos/acme/web/compare/${pr.headSha}...main`)).data;
    expect(behind.status).toBe("diverged");
    expect((await request("/repos/acme/web/compare/main...nothing")).status).toBe(404);
  });

  test("a rebase merge keeps each commit's original author, attributed or not", async () => {
    const gh = await start();
    const { web, alice, bob } = seedScenario(gh.state);
    const ghost = { name: "ghost", email: "ghost@nowhere.test" };
    const pr = web.addPullRequest({
      author: alice,
      commits: [{ author: ghost, files: { "g.txt": "g\n" } }],
    });
    pr.merge({ by: bob, method: "rebase" });
    const landed = (await client(gh)(`/repos/acme/web/commits/${pr.mergeCommitSha}`)).data;
    expect(landed.author).toBeNull();
    expect(landed.commit.author).toMatchObject(ghost);
    expect(landed.committer).toMatchObject({ login: "web-flow" });
    expect(landed.commit.verification.verified).toBe(true);
  });

  test("check runs keep the latest per name unless filter=all; statuses combine", async () => {
    const gh = await start();
    const { pr } = seedScenario(gh.state);
    const request = client(gh);
    const latest = (await request(`/repos/acme/web/commits/${pr.headSha}/check-runs`)).data;
    expect(latest.total_count).toBe(2);
    expect(
      latest.check_runs.map((r: { name: string; conclusion: string | null }) => [
        r.name,
        r.conclusion,
      ]),
    ).toEqual([
      ["lint", null],
      ["ci", "success"],
    ]);
    const all = (
      await request(`/repos/acme/web/commits/${pr.headSha}/check-runs?filter=all&check_name=ci`)
    ).data;
    expect(all.total_count).toBe(2);
    const byBranch = (await request(`/repos/acme/web/commits/feature%2Fgreeting/status`)).data;
    expect(byBranch).toMatchObject({ state: "success", sha: pr.headSha, total_count: 2 });
  });

  test("team members by role; branch protection; 404s", async () => {
    const gh = await start();
    seedScenario(gh.state);
    const request = client(gh);
    const logins = async (url: string) =>
      (await request(url)).data.map((m: { login: string }) => m.login);
    expect(await logins("/orgs/acme/teams/leads/members")).toEqual(["carol", "bob"]);
    expect(await logins("/orgs/acme/teams/leads/members?role=maintainer")).toEqual(["carol"]);
    expect((await request("/orgs/acme/teams/nobody/members")).status).toBe(404);
    expect((await request("/repos/acme/evidence/branches/main/protection")).data.message).toBe(
      "Branch not protected",
    );
    expect(
      (await request("/repos/acme/web/branches/main/protection")).data.required_pull_request_reviews
        .required_approving_review_count,
    ).toBe(1);
    expect((await request("/repos/acme/nope")).status).toBe(404);
    expect((await request("/repos/acme/web/pulls/99")).status).toBe(404);
    expect((await request("/repos/acme/web/contents/missing.txt")).status).toBe(404);
  });
});
