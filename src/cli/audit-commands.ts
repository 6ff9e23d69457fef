import type { Command } from "commander";
import { formatOption, type Runner } from "./command-kit.js";
import type { ExceptionsOptions } from "./commands/exceptions.js";
import type { PopulationOptions } from "./commands/population.js";
import type { PortalOptions } from "./commands/portal.js";
import type { ReportOptions } from "./commands/report.js";
import type { SampleOptions } from "./commands/sample.js";
import type { VerifyOptions } from "./commands/verify.js";
import type { Output } from "./output.js";

/**
 * The commands an audit needs: readiness, populations, samples, integrity, the portal, reports.
 * Each action imports its command module when it runs, so `soc2 --help` loads none of them.
 */
export function registerAuditCommands(program: Command, io: Output, run: Runner): void {
  program
    .command("readiness")
    .description(
      "readiness (gap) assessment: criteria without controls, controls without fresh evidence, overdue policies, open exceptions; a score per category",
    )
    .argument("[dir]", "compliance repository folder", ".")
    .addOption(formatOption(["text", "markdown", "json"]))
    .option(
      "--as-of <date>",
      "assess as of this date (YYYY-MM-DD, UTC; default today): records dated later are ignored",
    )
    .option(
      "--framework <framework>",
      "see readiness through iso27001 or nist-800-53 controls (via the crosswalk; exit 1 unless every one is ready)",
    )
    .addHelpText(
      "after",
      "\nThe period: audit.period of soc2.yml for a Type 2 (up to the as-of date); otherwise each control's\n" +
        "maximum evidence age back from the as-of date (max_age_days, else by frequency: per-occurrence and\n" +
        "daily 7 days, weekly 10, monthly 35, quarterly 100, annually 380).\n" +
        "Score per category: applicable criteria addressed by a ready control (implemented, fresh evidence, no gap), in percent.\n" +
        "Exit status: 0 no gaps, 1 at least one gap, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: { format: string; asOf?: string; framework?: string }) =>
        (await import("./commands/readiness.js")).readinessCommand(dir, opts, io),
      ),
    );

  program
    .command("exceptions")
    .description(
      "exceptions (bypass, direct push, emergency change) with their retrospective review: due date, state, management's response",
    )
    .argument("[dir]", "compliance (evidence) repository folder", ".")
    .addOption(formatOption(["text", "json"]))
    .option("--open", "only those past due without a review")
    .option("--as-of <date>", "assess as of this date (YYYY-MM-DD, UTC; default today)")
    .addHelpText(
      "after",
      "\nA review is due change_management.emergency.retrospective_review_hours (default 48) after the merge.\n" +
        "It is recorded by exceptions/<change record id>.yml (soc2 validate checks it), an approving review\n" +
        "after the merge, or an attestation naming the record. Exit status: 0 none open, 1 open ones, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: ExceptionsOptions) =>
        (await import("./commands/exceptions.js")).exceptionsCommand(dir, opts, io),
      ),
    );

  program
    .command("population")
    .description(
      "every change in a period with its approval facts, exceptions flagged, and a completeness check",
    )
    .argument("[dir]", "compliance (evidence) repository folder", ".")
    .requiredOption("--from <date>", "first day of the period (YYYY-MM-DD)")
    .requiredOption("--to <date>", "last day of the period (YYYY-MM-DD)")
    .option("--repo <owner/name>", "only changes to this repository")
    .option(
      "--history <owner/name=path...>",
      "a clone of a repository, to check that every commit on its protected branches is in the population",
    )
    .addOption(formatOption(["csv", "xlsx", "json"]))
    .option("-o, --out <file>", "write to this file (required for xlsx)")
    .addHelpText(
      "after",
      "\nCSV has a header row, RFC 4180 quoting and a UTF-8 byte order mark (Excel reads it as UTF-8); XLSX highlights exception rows.\n" +
        "Completeness: --history acme/web=../web reads the first-parent history of each protected branch\n" +
        "(change_management.branches) in the clone and ties every commit in the period to a change record.\n" +
        "Exit status: 0 ok, 1 commits on a protected branch with no change record, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: PopulationOptions) =>
        (await import("./commands/population.js")).populationCommand(dir, opts, io),
      ),
    );

  program
    .command("sample")
    .description(
      "a reproducible sample of a population (same seed, same sample), with an evidence packet per item",
    )
    .argument("[dir]", "compliance (evidence) repository folder", ".")
    .requiredOption("--seed <seed>", "the seed: the same seed gives the same sample")
    .option("--size <n>", "how many items")
    .option(
      "--frequency <frequency>",
      "size by the control's frequency, following the usual audit conventions",
    )
    .option("--from <date>", "first day of the period (YYYY-MM-DD)")
    .option("--to <date>", "last day of the period (YYYY-MM-DD)")
    .option("--repo <owner/name>", "only changes to this repository")
    .option("-o, --out <folder>", "write the evidence packets (Markdown and HTML) into this folder")
    .addOption(formatOption(["text", "json"]))
    .addHelpText(
      "after",
      '\nSelection: each change gets the key SHA-256("<seed>:<record id>"); the n lowest keys are the sample.\n' +
        "--frequency sizes: annually 1, quarterly 2, monthly 2, weekly 5, daily 20, per-occurrence 25 (--size overrides).\n" +
        "Period: --from/--to, else audit.period of soc2.yml, else every recorded change.\n" +
        "Exit status: 0 ok, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: SampleOptions) =>
        (await import("./commands/sample.js")).sampleCommand(dir, opts, io),
      ),
    );

  program
    .command("verify")
    .description(
      "offline integrity check of the evidence: every record's digest, attachments, the hash chain and git history",
    )
    .argument("[dir]", "evidence repository folder", ".")
    .addOption(formatOption(["text", "json"]))
    .option(
      "--anchor <sequence:digest...>",
      "known chain links (e.g. from an earlier audit) that must still hold",
    )
    .option(
      "--app-identity <identity...>",
      'the App\'s committer, "Name <email>" or email: every commit that adds a chained record must be by it (default: evidence.writer.committers in soc2.yml)',
    )
    .option(
      "--require-signed",
      "every commit that adds a chained record must be signed, as the GitHub API store's are (default: evidence.writer.signed in soc2.yml)",
    )
    .addHelpText(
      "after",
      "\nOutput: a summary line, who committed the chain, then one finding a line: path: problem: message.\n" +
        "Exit status: 0 clean, 1 tampered (each finding names the record), 2 usage error (not a folder, no evidence folder).",
    )
    .action(
      run(async (dir: string, opts: VerifyOptions) =>
        (await import("./commands/verify.js")).verifyCommand(dir, opts, io),
      ),
    );

  program
    .command("portal")
    .description(
      "build a static, read-only site for auditors: criteria, controls, evidence, the change population, exceptions, integrity",
    )
    .argument("[dir]", "compliance (evidence) repository folder", ".")
    .requiredOption(
      "-o, --out <folder>",
      "where to write the site: a new or empty folder, or an earlier build (works from file:// and GitHub Pages)",
    )
    .option(
      "--as-of <date>",
      "assess readiness, policy reviews and exception due dates as of this date (YYYY-MM-DD; default: today, as soc2 readiness)",
    )
    .addHelpText(
      "after",
      "\nThe site depends on the repository and the as-of date alone: the same repository as of the same day gives the same files.\nExit status: 0 written, 2 usage error (for example an --out folder that holds other files).",
    )
    .action(
      run(async (dir: string, opts: PortalOptions) =>
        (await import("./commands/portal.js")).portalCommand(dir, opts, io),
      ),
    );

  program
    .command("report")
    .description(
      "a Type 1 description of controls at a date, or a Type 2 account of their operation over a period",
    )
    .argument("[dir]", "compliance (evidence) repository folder", ".")
    .requiredOption("--type <1|2>", "1: design at a date; 2: operation over a period")
    .option(
      "--as-of <date>",
      "Type 1: the date (default: audit.as_of in soc2.yml, else audit.period.end)",
    )
    .option("--from <date>", "Type 2: first day (default: audit.period.start)")
    .option("--to <date>", "Type 2: last day (default: audit.period.end)")
    .addOption(formatOption(["markdown", "html", "json"]))
    .option("-o, --out <file>", "write to this file")
    .addHelpText(
      "after",
      "\nPrepared by management from the repository: not an auditor's report, no opinion.\n" +
        "Dates come only from the options and soc2.yml, so the same repository gives the same report.\n" +
        "Exit status: 0 written, 1 written but the repository has validation errors, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: ReportOptions) =>
        (await import("./commands/report.js")).reportCommand(dir, opts, io),
      ),
    );

  program
    .command("summary")
    .description(
      "a public control summary (SOC 3 style; not a SOC 3 report, which only a CPA firm issues)",
    )
    .argument("[dir]", "compliance repository folder", ".")
    .addOption(formatOption(["markdown", "html"]))
    .option("-o, --out <file>", "write to this file")
    .addHelpText(
      "after",
      "\nNo test details and no evidence: what is in scope and which control areas address it.\n" +
        "Exit status: 0 written, 1 written but the repository has validation errors, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: { format: string; out?: string }) =>
        (await import("./commands/summary.js")).summaryCommand(dir, opts, io),
      ),
    );

  program
    .command("index")
    .description(
      "rebuild the Markdown indexes of the evidence folder (by period, control and repository) from every record",
    )
    .argument("[dir]", "evidence repository folder", ".")
    .option("--check", "write nothing; exit 1 when an index is not current")
    .addHelpText(
      "after",
      "\nThe App keeps the indexes current as it writes records; run this after adding records by hand\n" +
        "or on a repository whose records predate the indexes. The same records give the same files.\n" +
        "Exit status: 0 written (or current), 1 --check found an index out of date, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: { check?: boolean }) =>
        (await import("./commands/index-evidence.js")).indexCommand(dir, opts, io),
      ),
    );
}
