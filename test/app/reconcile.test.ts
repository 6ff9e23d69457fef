import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postgresCheckpoints } from "../../app/reconcile/checkpoints.js";
import { readConfig } from "../../app/config.js";
import { freshDatabase } from "../helpers/database.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { forcePush, mergedPullRequest, storyPerTest } from "../support/reconcile-story.js";

// The App reconciling on its own: at start-up and every RECONCILE_INTERVAL_MS, over the
// repositories of its installations, from a checkpoint kept beside its delivery queue.

const newStory = storyPerTest();

describe("the App's reconciler", () => {
  it("records at start-up what happened while it was down, and moves each repository's checkpoint", async () => {
    const s = await newStory({ deferApp: true });
    const { web, alice, bob } = s;
    // The App is down: no webhook reaches it.
    const pr = mergedPullRequest(web, { author: alice, by: alice }, "src/down.ts");
    const base = web.branchSha("main")!;
    const hotfix = web.commit({ author: alice, message: "hotfix", files: { "src/a.ts": "1\n" } });
    const forced = forcePush(web, "main", base, bob, "rewrite");

    await s.startApp({ RECONCILE_INTERVAL_MS: "60000", RECONCILE_SINCE: "2026-01-01" });
    const first = await s.app.reconcile(); // the start-up round, already running
    expect(first).toEqual({ repositories: 1, failed: 0, recorded: 3 });
    const line = s.logs.lines.find((l) => String(l.msg).startsWith("soc2: reconciled acme/web"));
    expect(line).toMatchObject({
      repository: "acme/web",
      since: "2026-01-01T00:00:00.000Z",
      recorded: [
        `changes/acme/web/2026/01/pr-${pr.number}`,
        `changes/acme/web/2026/01/push-${hotfix.sha.slice(0, 12)}`,
        `changes/acme/web/2026/01/push-${forced.after.slice(0, 12)}`,
      ],
    });
    const saved = JSON.parse(
      await readFile(join(s.queueDir, "reconcile-checkpoints.json"), "utf8"),
    );
    expect(Object.keys(saved.repositories)).toEqual(["acme/web"]);
    expect(saved.repositories["acme/web"]).toBe(line!.until);

    // The next round starts at the checkpoint: nothing new, nothing written.
    expect(await s.app.reconcile()).toEqual({ repositories: 1, failed: 0, recorded: 0 });
    // After a restart the checkpoint is read back from the queue's folder.
    await s.startApp({ RECONCILE_INTERVAL_MS: "60000", RECONCILE_SINCE: "2026-01-01" });
    expect(await s.app.reconcile()).toEqual({ repositories: 1, failed: 0, recorded: 0 });

    const verify = await runCliAt(TEST_NOW, "verify", s.evidence);
    expect(verify.stdout).toContain("chain of 3 intact");
    expect(verify.code).toBe(0);
    expect(s.gh.requests.some((r) => r.url.endsWith("/app/installations?per_page=100"))).toBe(true);
    s.checker.assertClean();
  });

  it("leaves the checkpoint where it was when a repository's run fails, and logs why", async () => {
    const s = await newStory({ deferApp: true });
    mergedPullRequest(s.web, { author: s.alice, by: s.alice }, "src/x.ts");
    s.gh.state.faults.push({
      method: "GET",
      pathPattern: "/repos/{owner}/{repo}/activity",
      status: 500,
      times: 1,
    });
    await s.startApp({ RECONCILE_INTERVAL_MS: "60000", RECONCILE_SINCE: "2026-01-01" });
    expect(await s.app.reconcile()).toEqual({ repositories: 1, failed: 1, recorded: 0 });
    expect(s.logs.lines.find((l) => l.repository === "acme/web" && l.level === 40)).toMatchObject({
      msg: "soc2: reconciling a repository failed: its window is tried again next round",
      error: expect.stringContaining("reading the activity of acme/web failed (HTTP 500)"),
    });
    expect(await s.app.reconcile()).toEqual({ repositories: 1, failed: 0, recorded: 1 });
  });

  it("is off unless RECONCILE_INTERVAL_MS is set, and refuses a bad setting", async () => {
    expect(readConfig({}).reconcile).toEqual({ intervalMs: 0 });
    expect(() => readConfig({ RECONCILE_INTERVAL_MS: "5000" })).toThrow(
      'RECONCILE_INTERVAL_MS "5000" is not 0 (off) or a whole number of milliseconds from 60000',
    );
    expect(() => readConfig({ RECONCILE_SINCE: "last week" })).toThrow(
      'RECONCILE_SINCE "last week" is not a date',
    );
  });
});

describe("checkpoints in PostgreSQL", () => {
  it("are kept per repository, and only one replica reconciles at a time", async () => {
    const db = await freshDatabase();
    const one = await postgresCheckpoints(db.url);
    const two = await postgresCheckpoints(db.url);
    try {
      expect(await one.get("acme/web")).toBeUndefined();
      await one.set("Acme/Web", "2026-01-02T03:04:05.000Z");
      expect(await two.get("acme/web")).toBe("2026-01-02T03:04:05.000Z");

      let inside: unknown = "not run";
      const held = await one.exclusively(async () => {
        inside = await two.exclusively(async () => "two ran");
        return "one ran";
      });
      expect(held).toBe("one ran");
      expect(inside).toBeUndefined(); // the other replica skipped its round
      expect(await two.exclusively(async () => "two ran")).toBe("two ran"); // released
    } finally {
      await one.close();
      await two.close();
      await db.drop();
    }
  });
});
