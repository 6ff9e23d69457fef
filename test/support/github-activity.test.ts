// The stand-in's repository activity: every push recorded with its pusher, served newest first,
// filtered and paged by cursor as GitHub does, every answer checked against the OpenAPI subset.
import { afterEach, describe, expect, test } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { createOpenApiChecker } from "./github-openapi.js";
import { client } from "./github-scenario.js";

let gh: GitHubStandIn;
afterEach(async () => {
  await gh?.close();
});

async function story() {
  const checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  const alice = gh.state.addUser("alice");
  const bob = gh.state.addUser("bob");
  const web = gh.state.addRepository({ owner: "acme", name: "web" });
  const pr = web.addPullRequest({ author: alice, commits: [{ files: { "a.txt": "1\n" } }] });
  const first = pr.headSha;
  pr.addCommit({ author: alice, pushedBy: bob, files: { "a.txt": "2\n" } });
  const second = pr.headSha;
  pr.forcePush({ by: alice, commits: [{ files: { "a.txt": "3\n" } }] });
  web.commit({ author: bob, files: { "b.txt": "b\n" } });
  return { checker, request: client(gh), pr, first, second };
}

const summary = (data: unknown) =>
  (data as Array<Record<string, unknown>>).map(
    (a) =>
      `${a.activity_type} ${String(a.ref).replace("refs/heads/", "")} by ${(a.actor as { login: string }).login}`,
  );

describe("GET /repos/{owner}/{repo}/activity", () => {
  test("lists every push with its pusher, newest first", async () => {
    const { checker, request, pr, first, second } = await story();
    const all = await request("/repos/acme/web/activity");
    expect(all.status).toBe(200);
    expect(summary(all.data)).toEqual([
      "push main by bob",
      `force_push ${pr.headRef} by alice`,
      `push ${pr.headRef} by bob`,
      `branch_creation ${pr.headRef} by alice`,
      "branch_creation main by acme",
    ]);
    const [, forced, pushed, created] = all.data as Array<Record<string, unknown>>;
    expect(created).toMatchObject({ before: "0".repeat(40), after: first });
    expect(pushed).toMatchObject({ before: first, after: second });
    expect(forced).toMatchObject({ before: second, after: pr.headSha });
    checker.assertClean();
  });

  test("filters by ref (full or short), actor and activity type", async () => {
    const { checker, request, pr } = await story();
    const byRef = await request(`/repos/acme/web/activity?ref=${encodeURIComponent(pr.headRef)}`);
    const byFullRef = await request(
      `/repos/acme/web/activity?ref=${encodeURIComponent(`refs/heads/${pr.headRef}`)}`,
    );
    expect(summary(byRef.data)).toHaveLength(3);
    expect(byFullRef.data).toEqual(byRef.data);
    expect(summary((await request("/repos/acme/web/activity?actor=BOB")).data)).toEqual([
      "push main by bob",
      `push ${pr.headRef} by bob`,
    ]);
    expect(
      summary((await request("/repos/acme/web/activity?activity_type=force_push")).data),
    ).toEqual([`force_push ${pr.headRef} by alice`]);
    checker.assertClean();
  });

  test("pages by cursor: following rel=next visits every entry once, in order", async () => {
    const { request } = await story();
    const seen: string[] = [];
    let next: string | undefined = "/repos/acme/web/activity?direction=asc&per_page=2";
    let pages = 0;
    while (next) {
      const page = await request(next);
      seen.push(...summary(page.data));
      pages++;
      const link = /<([^>]+)>; rel="next"/.exec(page.headers.get("link") ?? "")?.[1];
      next = link ? link.replace(gh.url, "") : undefined;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(summary((await request("/repos/acme/web/activity?direction=asc")).data));
    expect(seen[0]).toBe("branch_creation main by acme");
  });

  test("refuses an unknown activity type or direction with GitHub's 422", async () => {
    const { request } = await story();
    expect((await request("/repos/acme/web/activity?activity_type=pushed")).status).toBe(422);
    expect((await request("/repos/acme/web/activity?direction=up")).status).toBe(422);
  });
});
