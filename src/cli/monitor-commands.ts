import type { Command } from "commander";
import { collect, formatOption, type Runner } from "./command-kit.js";
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
}
