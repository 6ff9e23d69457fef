import type { RunningApp } from "../../../app/server.js";
import type { MonitorSummary } from "../../../app/monitor/monitor-round.js";
import type { Clock } from "../../adapters/clock.js";
import type { Account, GitHubStandIn, RepositoryState } from "../github-stand-in/index.js";

/** Where the demo's drift issues are opened: the compliance repository on the stand-in. */
export const DEMO_ISSUES_REPOSITORY = "acme/compliance";

export interface MonitoringOutcome {
  runs: MonitorSummary[];
  /** What the act expected but the runs do not show. */
  problems: string[];
}

/**
 * The loop of continuous monitoring, after the change story: acme's settings meet soc2.yml's
 * monitoring.desired_state and the App snapshots them; carol allows force pushes on main, the
 * next snapshot shows CHG-02 drifting and the App opens a drift issue; she restores the
 * protection, and the next snapshot closes it. Each run is the App's own (`RunningApp.monitor`,
 * what MONITOR_INTERVAL_MS schedules), each record in the evidence repository.
 */
export async function playMonitoring(options: {
  gh: GitHubStandIn;
  app: RunningApp;
  repository: RepositoryState;
  people: { alice: Account; bob: Account; carol: Account };
  now: Clock;
  out: (text: string) => void;
}): Promise<MonitoringOutcome> {
  const { gh, app, repository, people, out } = options;
  const { settings } = gh.state;
  settings.configureOrganization("acme", {
    twoFactorRequired: true,
    defaultRepositoryPermission: "read",
    owners: [people.carol],
    members: [people.alice, people.bob],
  });
  settings.setSecurity(repository.fullName, {
    secretScanning: "enabled",
    pushProtection: "enabled",
    dependabotSecurityUpdates: "enabled",
  });
  const protection = {
    requiredApprovingReviewCount: 1,
    dismissStaleReviews: true,
    requireCodeOwnerReviews: true,
    requiredStatusChecks: ["ci"],
  };
  repository.protectBranch("main", protection);
  const [owner = "", name = ""] = DEMO_ISSUES_REPOSITORY.split("/");
  gh.state.addRepository({ owner, name, files: { "README.md": "Acme's compliance issues.\n" } });

  out(`\nThe App monitors GitHub's own settings against soc2.yml's monitoring.desired_state:\n`);
  const runs: MonitorSummary[] = [];
  const monitor = async (says: string) => {
    // One snapshot record per target and second: the next run starts on a new second.
    await nextSecond(options.now);
    const summary = await app.monitor();
    if (!summary) throw new Error("the demo's soc2.yml declares no monitoring.desired_state");
    runs.push(summary);
    const failing = Object.entries(summary.controls)
      .filter(([, result]) => result !== "pass")
      .map(([control, result]) => `${control} ${result === "fail" ? "drifts" : "cannot be shown"}`);
    const issues = summary.issues.map((i) => {
      const [action = "", control = "", number = ""] = i.split(" ");
      return `drift issue ${DEMO_ISSUES_REPOSITORY}${number} of ${control} ${action === "open" ? "opened" : action === "close" ? "closed" : "updated"}`;
    });
    out(
      `  ${failing.length ? "✗" : "✓"} ${says}: ${summary.snapshots} snapshot(s)` +
        `${summary.unchanged ? `, ${summary.unchanged} unchanged` : ""}; ` +
        `${failing.length ? failing.join(", ") : `every control holds (${Object.keys(summary.controls).join(", ")})`}` +
        `${issues.length ? ` → ${issues.join("; ")}` : ""}\n`,
    );
    return summary;
  };

  const first = await monitor("the App snapshots acme's and acme/web's settings");
  repository.protectBranch("main", { ...protection, allowForcePushes: true });
  const drifted = await monitor("carol allows force pushes on main; the next snapshot");
  repository.protectBranch("main", protection);
  const fixed = await monitor("carol blocks force pushes again; the next snapshot");

  const problems: string[] = [];
  if (first.controls["CHG-02"] !== "pass") problems.push("CHG-02 did not hold at first");
  if (
    drifted.controls["CHG-02"] !== "fail" ||
    !drifted.issues.some((i) => i.startsWith("open CHG-02"))
  )
    problems.push("allowing force pushes did not open a drift issue of CHG-02");
  if (
    fixed.controls["CHG-02"] !== "pass" ||
    !fixed.issues.some((i) => i.startsWith("close CHG-02"))
  )
    problems.push("restoring the protection did not close the drift issue of CHG-02");
  return { runs, problems };
}

/** Waits until the clock shows a later second than now (a stepping test clock already does). */
async function nextSecond(now: Clock): Promise<void> {
  const second = Math.floor(now().getTime() / 1000);
  while (Math.floor(now().getTime() / 1000) === second)
    await new Promise((resolve) => setTimeout(resolve, 50));
}
