import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../app/config.js";
import { slotOf } from "../../app/monitor/scheduler.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { storyPerTest, type Story } from "../support/reconcile-story.js";

// The App monitoring GitHub's settings on its own: at start-up and once per MONITOR_INTERVAL_MS
// slot, reading the desired state from the compliance repository's soc2.yml, writing snapshots
// through its evidence store, and opening and closing drift issues.

const newStory = storyPerTest();
const WEEK = "604800000";
const DESIRED = `monitoring:
  organization: acme
  repositories: [acme/web]
  desired_state:
    - control: CHG-02
      branch_protection:
        required_approving_reviews: 1
        dismiss_stale_reviews: true
        block_force_pushes: true
    - control: ACC-01
      organization:
        two_factor_required: true

evidence:`;

/** The story's compliance repository declares what must hold; acme/compliance holds drift issues. */
async function monitoredStory(): Promise<Story> {
  const s = await newStory({ deferApp: true });
  const program = join(s.evidence, "soc2.yml");
  const text = await readFile(program, "utf8");
  await writeFile(program, text.replace(/^monitoring:\n[\s\S]*?^evidence:/m, DESIRED));
  s.gh.state.settings.configureOrganization("acme", {
    twoFactorRequired: true,
    owners: [s.bob],
  });
  s.web.protectBranch("main", { requiredApprovingReviewCount: 1, dismissStaleReviews: true });
  s.gh.state.addRepository({ owner: "acme", name: "compliance", files: { "README.md": "c\n" } });
  return s;
}

describe("the App's monitoring schedule", () => {
  it("runs once per slot at start-up, opens a drift issue on drift and closes it once fixed", async () => {
    const s = await monitoredStory();
    const env = { MONITOR_INTERVAL_MS: WEEK, MONITOR_ISSUES_REPOSITORY: "acme/compliance" };
    await s.startApp(env);

    // The start-up look finds the slot not done yet: one snapshot per target, no drift.
    const first = await s.app.monitorDue();
    expect(first).toMatchObject({
      status: "ran",
      summary: { snapshots: 2, missed: [], controls: { "ACC-01": "pass", "CHG-02": "pass" } },
    });
    expect(first!.slot).toBe(slotOf(new Date(first!.slot), 604_800_000).toISOString());
    // Within the slot, and after a restart, nothing runs again: the checkpoint says it is done.
    expect(await s.app.monitorDue()).toMatchObject({ status: "slot-done", slot: first!.slot });
    await s.startApp(env);
    expect(await s.app.monitorDue()).toMatchObject({ status: "slot-done", slot: first!.slot });

    // Someone allows force pushes on main: the next run opens one issue, a rerun no second one.
    s.web.protectBranch("main", {
      requiredApprovingReviewCount: 1,
      dismissStaleReviews: true,
      allowForcePushes: true,
    });
    const drifted = await s.app.monitor();
    expect(drifted).toMatchObject({
      snapshots: 2,
      unchanged: 1,
      controls: { "ACC-01": "pass", "CHG-02": "fail" },
      issues: ["open CHG-02 #1"],
    });
    expect((await s.app.monitor())?.issues).toEqual([]);
    const [issue] = s.gh.state.issues.of("acme/compliance");
    expect(issue).toMatchObject({ state: "open", labels: ["soc2-drift"] });
    expect(issue!.body).toContain("block_force_pushes");
    expect(s.gh.state.issues.of("acme/compliance")).toHaveLength(1);

    // Protection restored: the issue is closed as completed.
    s.web.protectBranch("main", { requiredApprovingReviewCount: 1, dismissStaleReviews: true });
    expect((await s.app.monitor())?.issues).toEqual(["close CHG-02 #1"]);
    expect(issue).toMatchObject({ state: "closed", stateReason: "completed" });

    // The records validate, chain, and re-derive the same verdict offline.
    const validate = await runCliAt(TEST_NOW, "validate", s.evidence);
    // (soc2 init's placeholders are warnings; the App's records add no problem)
    expect(validate.stdout).not.toMatch(/: error: |evidence\//);
    expect(validate.code).toBe(0);
    const verify = await runCliAt(TEST_NOW, "verify", s.evidence);
    expect(verify.code).toBe(0);
    const drift = await runCliAt(TEST_NOW, "drift", s.evidence);
    expect(drift.stdout).toContain("CHG-02: pass");
    expect(drift.code).toBe(0);
    const events = s.logs.lines.filter(
      (l) => l.msg === "soc2: monitored GitHub's settings: 2 snapshot(s), drift of CHG-02",
    );
    expect(events).toHaveLength(2);
    s.checker.assertClean();
  });

  it("logs the targets no installation covers, and their controls stay unknown", async () => {
    const s = await monitoredStory();
    const program = join(s.evidence, "soc2.yml");
    const text = await readFile(program, "utf8");
    await writeFile(
      program,
      text.replace("repositories: [acme/web]", "repositories: [acme/web, globex/api]"),
    );
    await s.startApp({ MONITOR_ISSUES_REPOSITORY: "none" });
    expect(await s.app.monitorDue()).toBeUndefined(); // the schedule is off by default
    const summary = await s.app.monitor();
    expect(summary).toMatchObject({ snapshots: 2, missed: ["globex/api"], issues: [] });
    expect(summary!.controls["CHG-02"]).toBe("unknown");
    expect(s.logs.lines.find((l) => l.level === 40)).toMatchObject({
      msg: expect.stringContaining("no snapshot of globex/api: install the App on its account"),
    });
  });

  it("keeps the snapshots of a run whose drift issues cannot be opened, and says why", async () => {
    const s = await monitoredStory();
    s.web.protectBranch("main", { requiredApprovingReviewCount: 1, allowForcePushes: true });
    // No installation covers globex/compliance: the App cannot reach its issues.
    await s.startApp({ MONITOR_ISSUES_REPOSITORY: "globex/compliance" });
    const summary = await s.app.monitor();
    expect(summary).toMatchObject({ snapshots: 2, controls: { "CHG-02": "fail" }, issues: [] });
    expect(s.logs.lines.find((l) => l.level === 50)).toMatchObject({
      repository: "globex/compliance",
      msg: expect.stringContaining(
        "soc2: the drift issues in globex/compliance could not be brought in line with the snapshots",
      ),
    });
  });

  it("leaves the slot open while soc2.yml declares nothing, and runs once a desired state is added", async () => {
    const s = await monitoredStory();
    const program = join(s.evidence, "soc2.yml");
    const declared = await readFile(program, "utf8");
    await writeFile(program, declared.replace(/^monitoring:\n[\s\S]*?^evidence:/m, "evidence:"));
    await s.startApp({ MONITOR_INTERVAL_MS: WEEK, MONITOR_ISSUES_REPOSITORY: "none" });
    expect(await s.app.monitorDue()).toMatchObject({ status: "nothing-declared" });
    expect(await s.app.monitorDue()).toMatchObject({ status: "nothing-declared" });
    const quiet = s.logs.lines.filter((l) =>
      String(l.msg).includes("monitoring has nothing to do"),
    );
    expect(quiet).toHaveLength(1); // once a slot, not at every look
    await writeFile(program, declared);
    expect(await s.app.monitorDue()).toMatchObject({ status: "ran", summary: { snapshots: 2 } });
  });

  it("reads its settings, and refuses bad ones", () => {
    expect(readConfig({}).monitor).toEqual({ intervalMs: 0 });
    expect(
      readConfig({ MONITOR_INTERVAL_MS: WEEK, MONITOR_ISSUES_REPOSITORY: "acme/compliance" })
        .monitor,
    ).toEqual({ intervalMs: 604_800_000, issuesRepository: "acme/compliance" });
    expect(() => readConfig({ MONITOR_INTERVAL_MS: "60000" })).toThrow(
      'MONITOR_INTERVAL_MS "60000" is not 0 (off) or a whole number of milliseconds from 3600000',
    );
    expect(() => readConfig({ MONITOR_ISSUES_REPOSITORY: "compliance" })).toThrow(
      'MONITOR_ISSUES_REPOSITORY "compliance" is not owner/name',
    );
  });

  it("counts slots from the epoch, so that every replica agrees on them", () => {
    const at = new Date("2041-02-26T10:00:00Z");
    expect(slotOf(at, 604_800_000).toISOString()).toBe("2041-02-21T00:00:00.000Z");
    expect(slotOf(at, 3_600_000).toISOString()).toBe("2041-02-26T10:00:00.000Z");
  });
});
