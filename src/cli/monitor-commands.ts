import type { Command } from "commander";
import { collect, formatOption, type Runner } from "./command-kit.js";
import type { AccessReviewOptions } from "./commands/access-review.js";
import type { MonitorOptions } from "./commands/monitor.js";
import type { Output } from "./output.js";

/** Continuous monitoring: snapshot GitHub's settings as evidence, and re-derive drift offline. */
export function registerMonitorCommands(program: Command, io: Output, run: Runner): void {
  program
    .command("monitor")
    .description(
      "snapshot GitHub's security settings (organization, repositories, branch protection) as evidence, and report drift from soc2.yml's desired state",
    )
    .option("-c, --config <file>", "soc2.yml holding monitoring.desired_state", "soc2.yml")
    .option(
      "--org <login>",
      "the organization (default: monitoring.organization, else organization.github)",
    )
    .option(
      "--repo <owner/name>",
      "an in-scope repository; repeat for more (default: monitoring.repositories, else system.boundaries.repositories)",
      collect,
    )
    .option(
      "--issues <owner/name>",
      "the compliance repository: open one issue per drifting control there, close it when the drift is gone (needs issues: write)",
    )
    .option("--dry-run", "read and evaluate, but record and change nothing")
    .addOption(formatOption(["text", "json"]))
    .addHelpText(
      "after",
      "\nReads GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise Server); writes where the App writes\n" +
        "(EVIDENCE_REPO, else EVIDENCE_GIT_DIR / EVIDENCE_GIT_REMOTE; EVIDENCE_BRANCH, EVIDENCE_PATH).\n" +
        "Exit status: 0 no drift, 1 a control drifted, 2 usage error.",
    )
    .action(
      run(async (opts: MonitorOptions) =>
        (await import("./commands/monitor.js")).monitorCommand(opts, io),
      ),
    );

  program
    .command("drift")
    .description(
      "re-derive the drift verdict offline from the stored settings snapshots and soc2.yml",
    )
    .argument("[dir]", "compliance (evidence) repository folder", ".")
    .option("--as-of <date>", "use the snapshots captured by the end of this day (YYYY-MM-DD, UTC)")
    .addOption(formatOption(["text", "json"]))
    .addHelpText(
      "after",
      "\nExit status: 0 no drift, 1 a control drifted or a snapshot reference is broken, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: { format: string; asOf?: string }) =>
        (await import("./commands/drift.js")).driftCommand(dir, opts, io),
      ),
    );

  program
    .command("access-review")
    .description(
      "periodic access reviews of the GitHub organization: who has access, kept or removed by the access control's owner",
    )
    .command("open")
    .description(
      "open (or update) the period's access review as a pull request in the compliance repository, asking the access control's owner to review it",
    )
    .argument("[dir]", "compliance repository folder (its soc2.yml and controls/)", ".")
    .option(
      "--quarter <period>",
      "the period: YYYY-Qn, or YYYY-MM for monthly reviews (default: the current one)",
    )
    .option(
      "--repo <owner/name>",
      "the compliance repository on GitHub (default: GITHUB_REPOSITORY)",
    )
    .option("--dry-run", "read and build the list, but change nothing on GitHub")
    .addOption(formatOption(["text", "json"]))
    .addHelpText(
      "after",
      "\nReads GITHUB_TOKEN (and GITHUB_API_URL). Exit status: 0 done, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: AccessReviewOptions) =>
        (await import("./commands/access-review.js")).accessReviewOpenCommand(dir, opts, io),
      ),
    );
}
