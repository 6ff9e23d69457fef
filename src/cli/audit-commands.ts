import type { Command } from "commander";
import { formatOption, type Runner } from "./command-kit.js";
import { populationCommand } from "./commands/population.js";
import { portalCommand } from "./commands/portal.js";
import { readinessCommand } from "./commands/readiness.js";
import { reportCommand } from "./commands/report.js";
import { sampleCommand } from "./commands/sample.js";
import { summaryCommand } from "./commands/summary.js";
import { verifyCommand } from "./commands/verify.js";
import type { Output } from "./output.js";

/** The commands an audit needs: readiness, populations, samples, integrity, the portal, reports. */
export function registerAuditCommands(program: Command, io: Output, run: Runner): void {
  program
    .command("readiness")
    .description(
      "readiness (gap) assessment: criteria without controls, controls without fresh evidence, overdue policies, open exceptions; a score per category",
    )
    .argument("[dir]", "compliance repository folder", ".")
    .addOption(formatOption(["text", "markdown", "json"]))
    .option("--as-of <date>", "assess as of this date (YYYY-MM-DD; default today)")
    .action(
      run((dir: string, opts: { format: string; asOf?: string }) =>
        readinessCommand(dir, opts, io),
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
    .action(
      run(
        (
          dir: string,
          opts: {
            from: string;
            to: string;
            repo?: string;
            history?: string[];
            format: string;
            out?: string;
          },
        ) => populationCommand(dir, opts, io),
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
    .action(
      run(
        (
          dir: string,
          opts: {
            seed: string;
            size?: string;
            frequency?: string;
            from?: string;
            to?: string;
            repo?: string;
            out?: string;
            format: string;
          },
        ) => sampleCommand(dir, opts, io),
      ),
    );

  program
    .command("verify")
    .description("offline integrity check of the evidence: digests, the hash chain and git history")
    .argument("[dir]", "evidence repository folder", ".")
    .addOption(formatOption(["text", "json"]))
    .option(
      "--anchor <sequence:digest...>",
      "known chain links (e.g. from an earlier audit) that must still hold",
    )
    .addHelpText(
      "after",
      "\nExit status: 0 clean, 1 tampered (each finding names the record), 2 usage error.",
    )
    .action(
      run((dir: string, opts: { format: string; anchor?: string[] }) =>
        verifyCommand(dir, opts, io),
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
      "where to write the site (works from file:// and GitHub Pages)",
    )
    .action(run((dir: string, opts: { out: string }) => portalCommand(dir, opts, io)));

  program
    .command("report")
    .description(
      "a Type 1 description of controls at a date, or a Type 2 account of their operation over a period",
    )
    .argument("[dir]", "compliance (evidence) repository folder", ".")
    .requiredOption("--type <1|2>", "1: design at a date; 2: operation over a period")
    .option("--as-of <date>", "Type 1: the date (default: audit.as_of in soc2.yml, else today)")
    .option("--from <date>", "Type 2: first day (default: audit.period.start)")
    .option("--to <date>", "Type 2: last day (default: audit.period.end)")
    .addOption(formatOption(["markdown", "html", "json"]))
    .option("-o, --out <file>", "write to this file")
    .action(
      run(
        (
          dir: string,
          opts: {
            type: string;
            asOf?: string;
            from?: string;
            to?: string;
            format: string;
            out?: string;
          },
        ) => reportCommand(dir, opts, io),
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
    .action(
      run((dir: string, opts: { format: string; out?: string }) => summaryCommand(dir, opts, io)),
    );
}
