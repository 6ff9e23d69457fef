import { afterEach, describe, expect, it } from "vitest";
import { postgresCheckpoints } from "../../app/reconcile/checkpoints.js";
import { freshDatabase } from "../helpers/database.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { closeAll, running, standIn, startApp } from "./redelivery-support.js";

// Replicas sharing PostgreSQL run each monitoring slot once: one holds the monitoring lock and
// runs it, the other skips, and the checkpoint keeps both from running it again.

afterEach(closeAll);

const MONITORING = `monitoring:
  organization: acme
  repositories: [acme/web]
  desired_state:
    - control: GOV-01
      branch_protection: { required_approving_reviews: 1, block_force_pushes: true }
`;

describe("the monitoring schedule with replicas on PostgreSQL", () => {
  it("two replicas starting at once snapshot the slot once and open one drift issue", async () => {
    const db = await freshDatabase();
    running.push({ close: db.drop });
    const { gh, checker } = await standIn();
    gh.state.addOrganization("acme");
    gh.state.settings.configureOrganization("acme", { twoFactorRequired: true });
    const web = gh.state.addRepository({ owner: "acme", name: "web", files: { "a.txt": "a\n" } });
    web.protectBranch("main", { requiredApprovingReviewCount: 1, allowForcePushes: true });
    const files = minimalRepo();
    files["soc2.yml"] += MONITORING;
    gh.state.addRepository({ owner: "acme", name: "compliance", files });
    const evidence = gh.state.addRepository({
      owner: "acme",
      name: "evidence",
      files: { "README.md": "evidence\n" },
    });
    gh.state.addInstallation({ account: "acme" });

    // soc2.yml and the drift issues: the central compliance repository, through the API.
    const env = {
      DATABASE_URL: db.url,
      EVIDENCE_REPO: "acme/evidence",
      POLICY_REPOSITORY: "acme/compliance",
      MONITOR_INTERVAL_MS: "604800000",
      REDELIVERY_INTERVAL_MS: "0",
    };
    const replicas = await Promise.all([startApp(gh, env), startApp(gh, env)]);
    const looks = await Promise.all(replicas.map((r) => r.app.monitorDue()));
    const statuses = looks.map((l) => l?.status);
    expect(statuses.filter((s) => s === "ran")).toHaveLength(1);
    expect(statuses.filter((s) => s === "other-replica" || s === "slot-done")).toHaveLength(1);
    expect(looks[0]!.slot).toBe(looks[1]!.slot);
    const ran = looks.find((l) => l!.status === "ran")!;
    expect(ran.summary).toMatchObject({ snapshots: 2, controls: { "GOV-01": "fail" } });
    expect(ran.summary!.issues).toEqual(["open GOV-01 #1"]);

    // Looking again, one after the other, neither runs the slot a second time.
    for (const r of replicas)
      expect(await r.app.monitorDue()).toMatchObject({ status: "slot-done" });
    expect(
      evidence.listFiles("main").filter((f) => f.startsWith("evidence/settings-snapshots/")),
    ).toHaveLength(2);
    expect(gh.state.issues.of("acme/compliance")).toHaveLength(1);
    checker.assertClean();
  });

  it("replicas opening the checkpoints at once both create-or-find the table", async () => {
    // Concurrent CREATE TABLE IF NOT EXISTS fails one side with 23505 now and then: try often.
    for (let i = 0; i < 6; i++) {
      const db = await freshDatabase();
      try {
        const both = await Promise.all([postgresCheckpoints(db.url), postgresCheckpoints(db.url)]);
        await Promise.all(both.map((c) => c.close()));
      } finally {
        await db.drop();
      }
    }
  });
});
