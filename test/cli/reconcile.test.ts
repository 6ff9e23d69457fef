import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { simpleGit } from "simple-git";
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/core/yaml-source.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import {
  createAndDelete,
  forcePush,
  mergedPullRequest,
  storyPerTest,
  withCliEnv,
  type Story,
} from "../support/reconcile-story.js";

// soc2 reconcile against the GitHub API stand-in, writing where the App writes (its git store),
// with the App's real server recording what webhooks reach it.

const newStory = storyPerTest();

const reconcile = (s: Story, ...args: string[]) =>
  withCliEnv(s.cliEnv, () =>
    runCliAt(TEST_NOW, "reconcile", "--repo", "acme/web", "--since", "2026-01-01", ...args),
  );

interface Change {
  change: string;
  ref: string;
  id: string;
  status: string;
  by?: string;
  reason?: string;
}
const changesOf = (stdout: string) => (JSON.parse(stdout) as { changes: Change[] }).changes;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any; // parsed YAML records, read field by field

/** Every record of the evidence folder: id → parsed record. */
async function records(dir: string): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  const root = join(dir, "evidence", "changes");
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith(".yml")) continue;
    const path = relative(join(dir, "evidence"), join(e.parentPath, e.name));
    const value = parseYaml(path, await readFile(join(e.parentPath, e.name), "utf8")).value;
    out.set(path.replace(/\.yml$/, ""), value as Json);
  }
  return out;
}

const commitCount = async (dir: string) =>
  Number((await simpleGit(dir).raw(["rev-list", "--count", "HEAD"])).trim());

/**
 * Webhooks reach the App for the first merge, then stop: two merges (one without approval), a
 * direct push, a force push and the deletion of a protected branch happen unseen, as do pushes
 * to branches the policy does not protect.
 */
async function storyWithAnOutage(s: Story) {
  const { web, alice, bob } = s;
  const first = mergedPullRequest(web, { author: alice, reviewer: bob, by: bob }, "src/one.ts");
  await s.deliver("pull_request", await s.closed(first, bob));
  // Webhooks switched off from here.
  const second = mergedPullRequest(web, { author: alice, reviewer: bob, by: bob }, "src/two.ts");
  const third = mergedPullRequest(web, { author: alice, by: alice }, "src/three.ts", "squash");
  const beforeHotfix = web.branchSha("main")!;
  const hotfix = web.commit({ author: alice, message: "hotfix", files: { "src/app.ts": "fix\n" } });
  const forced = forcePush(web, "main", beforeHotfix, bob, "rewrite main");
  const deleted = createAndDelete(web, "release/1", bob);
  web.commit({ branch: "scratch", author: alice, message: "try", files: { "x.ts": "x\n" } });
  web.commit({ branch: "scratch", author: alice, message: "again", files: { "x.ts": "y\n" } });
  return { first, second, third, beforeHotfix, hotfix, forced, deleted };
}

describe("soc2 reconcile", () => {
  it("records every change webhooks missed exactly once, marked as recovered, with a clean chain", async () => {
    const s = await newStory();
    const { first, second, third, beforeHotfix, hotfix, forced, deleted } =
      await storyWithAnOutage(s);
    expect([...(await records(s.evidence)).keys()]).toEqual([
      `changes/acme/web/2026/01/pr-${first.number}`,
    ]);

    const run = await reconcile(s, "--json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const changes = changesOf(run.stdout);
    const byStatus = (status: string) =>
      changes.filter((c) => c.status === status).map((c) => `${c.change} ${c.ref}`);
    expect(byStatus("exists")).toEqual([`pull-request #${first.number}`]);
    expect(byStatus("recorded")).toEqual([
      `pull-request #${second.number}`,
      `pull-request #${third.number}`,
      `push main@${hotfix.sha.slice(0, 12)}`,
      `force-push main@${forced.after.slice(0, 12)}`,
      `branch-deletion release/1@${deleted.slice(0, 12)}`,
    ]);
    // "scratch" is not protected: nothing to record (its creation is not a push to reconcile).
    expect(byStatus("not-a-change")).toEqual([expect.stringMatching(/^push scratch@/)]);
    expect(
      changes
        .filter((c) => c.status === "not-a-change")
        .every((c) => /is not a protected branch/.test(c.reason ?? "")),
    ).toBe(true);

    const all = await records(s.evidence);
    expect(all.size).toBe(6);
    const recovered = [...all.values()].filter((r) => r.source.recovered_by === "reconciliation");
    expect(recovered.map((r) => r.id).sort()).toEqual(
      changes
        .filter((c) => c.status === "recorded")
        .map((c) => c.id)
        .sort(),
    );
    for (const r of recovered) {
      expect(r.source).toMatchObject({ type: "github-app", recovered_by: "reconciliation" });
      expect(r.source.delivery_id).toMatch(/^reconcile-/);
      expect(r.chain.sequence).toBeGreaterThan(1);
    }
    const webhook = all.get(`changes/acme/web/2026/01/pr-${first.number}`)!;
    expect(webhook.source.recovered_by).toBeUndefined();

    // The same verdicts as the webhook path: an approved merge passes, an unapproved one is an exception.
    const pr = (n: number) => all.get(`changes/acme/web/2026/01/pr-${n}`)!.content;
    expect(pr(second.number).verdict.result).toBe("pass");
    expect(pr(third.number).verdict.result).toBe("fail");
    expect(pr(third.number).exception).toBeDefined();
    expect(pr(third.number).change.merge_method).toBe("squash");

    // Who pushed, and the commits, from the activity and the compare API.
    const push = all.get(`changes/acme/web/2026/01/push-${hotfix.sha.slice(0, 12)}`)!.content;
    expect(push).toMatchObject({
      change: { type: "direct-push", merged_by: { login: "alice" }, head_sha: hotfix.sha },
      commits: [{ sha: hotfix.sha, message: "hotfix" }],
      exception: { type: "direct-push" },
    });
    const force = all.get(`changes/acme/web/2026/01/push-${forced.after.slice(0, 12)}`)!.content;
    expect(force.change).toMatchObject({ base_sha: forced.before, merged_by: { login: "bob" } });
    expect(force.exception.reason).toContain(`force-pushed, rewriting the branch's history`);
    expect(force.commits.map((c: { message: string }) => c.message)).toEqual(["rewrite main"]);
    expect(beforeHotfix).not.toBe(forced.before);
    const deletion = all.get(`changes/acme/web/2026/01/push-deleted-${deleted.slice(0, 12)}`)!;
    expect(deletion.content.exception.reason).toContain(
      "bob deleted the branch directly to release/1",
    );

    const verify = await runCliAt(TEST_NOW, "verify", s.evidence);
    expect(verify.stdout).toContain("chain of 6 intact");
    expect(verify.code).toBe(0);
    const validate = await runCliAt(TEST_NOW, "validate", s.evidence);
    expect(validate.stdout).not.toMatch(/evidence\/changes.*error/);
    expect(validate.code, validate.stdout).toBe(0);
    s.checker.assertClean();
  });

  it("writes nothing the second time, and late webhooks find the records already there", async () => {
    const s = await newStory();
    const { second, third, hotfix, beforeHotfix } = await storyWithAnOutage(s);
    expect((await reconcile(s)).code).toBe(0);
    const commits = await commitCount(s.evidence);

    const again = await reconcile(s);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: \d+ change\(s\) on GitHub, 0 recorded now, 6 already recorded/);
    expect(await commitCount(s.evidence)).toBe(commits);

    // The missed deliveries arrive late (GitHub's redelivery): the App answers "exists".
    await s.deliver("pull_request", await s.closed(second, s.bob));
    await s.deliver("pull_request", await s.closed(third, s.alice));
    await s.deliver("push", await s.pushed("main", beforeHotfix, hotfix.sha, s.alice));
    expect(await commitCount(s.evidence)).toBe(commits);
    expect((await records(s.evidence)).size).toBe(6);
    expect((await runCliAt(TEST_NOW, "verify", s.evidence)).code).toBe(0);
  });

  it("--dry-run lists what has no record, writes nothing, and exits 1", async () => {
    const s = await newStory();
    const { second } = await storyWithAnOutage(s);
    const commits = await commitCount(s.evidence);

    const dry = await reconcile(s, "--dry-run");
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(
      /5 without a record \(dry run: nothing written\), 1 already recorded/,
    );
    expect(dry.stdout).toContain(`MISSING  pull-request #${second.number} 2026-01-05T`);
    expect(dry.stdout).toContain(`changes/acme/web/2026/01/pr-${second.number}`);
    expect(await commitCount(s.evidence)).toBe(commits);

    expect((await reconcile(s)).code).toBe(0);
    const clean = await reconcile(s, "--dry-run", "--json");
    expect(clean.code).toBe(0);
    expect(changesOf(clean.stdout).some((c) => c.status === "missing")).toBe(false);
  });

  it("waits out a secondary rate limit and retries server errors", async () => {
    const s = await newStory();
    await storyWithAnOutage(s);
    s.gh.state.faults.push(
      { method: "GET", pathPattern: "/repos/{owner}/{repo}/pulls", status: 502, times: 2 },
      {
        method: "GET",
        pathPattern: "/repos/{owner}/{repo}/activity",
        status: 403,
        secondaryRateLimit: true,
        retryAfter: 1,
      },
    );
    const run = await reconcile(s);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("5 recorded now");
    const asked = s.gh.requests.filter((r) => r.url.includes("/repos/acme/web/activity"));
    expect(asked.length).toBeGreaterThanOrEqual(2);
    // GitHub's Retry-After (1 s) waited out, by the CLI's injected wait.
    expect(run.waits).toContain(1000);
  });

  it("stops clearly on a failure that does not go away, leaving whole records; the next run finishes", async () => {
    const s = await newStory();
    const { third } = await storyWithAnOutage(s);
    s.gh.state.faults.push({
      method: "GET",
      pathPattern: `/repos/acme/web/pulls/${third.number}`,
      status: 500,
      times: 10,
    });
    // REST reads each merge on its own (GITHUB_API=rest, or a GitHub without the GraphQL query).
    const rest = { ...s.cliEnv, GITHUB_API: "rest" };
    const failed = await withCliEnv(rest, () =>
      runCliAt(TEST_NOW, "reconcile", "--repo", "acme/web", "--since", "2026-01-01"),
    );
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toMatch(
      new RegExp(
        `^soc2: reconciling acme/web stopped: reading pull request #${third.number} of acme/web failed \\(HTTP 500\\).*run the command again to continue\\n$`,
      ),
    );
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // What was recorded before the failure is whole and chained.
    expect((await runCliAt(TEST_NOW, "verify", s.evidence)).code).toBe(0);
    expect((await records(s.evidence)).size).toBe(2);

    s.gh.state.faults.length = 0;
    const resumed = await reconcile(s);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("4 recorded now, 2 already recorded");
    expect((await runCliAt(TEST_NOW, "verify", s.evidence)).code).toBe(0);
  });

  it("says what is wrong with its options and settings", async () => {
    const bad = (...args: string[]) =>
      withCliEnv({ GITHUB_TOKEN: "" }, () => runCliAt(TEST_NOW, "reconcile", ...args));
    expect((await bad("--repo", "acme", "--since", "2026-01-01")).stderr).toBe(
      'soc2: --repo "acme" is not a repository: write it as owner/name\n',
    );
    expect((await bad("--repo", "acme/web", "--since", "2026-13-01")).stderr).toContain(
      '--since "2026-13-01" is not a date: give a day (YYYY-MM-DD, UTC)',
    );
    expect(
      (await bad("--repo", "acme/web", "--since", "2026-02-01", "--until", "2026-01-01")).stderr,
    ).toContain("--since 2026-02-01 is not before --until 2026-01-01");
    const noToken = await bad("--repo", "acme/web", "--since", "2026-01-01");
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^soc2: GITHUB_TOKEN is not set: give a token/);
  });
});
