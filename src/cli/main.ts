import { Command, CommanderError } from "commander";
import { registerAuditCommands } from "./audit-commands.js";
import { formatOption, type Runner } from "./command-kit.js";
import type { deliveriesCommand, replayCommand } from "./commands/app-deliveries.js";
import type { ReconcileOptions } from "./commands/reconcile.js";
import { registerMonitorCommands } from "./monitor-commands.js";
import { registerOscalCommands } from "./oscal-commands.js";
import { registerRequestsCommands } from "./requests-commands.js";
import { escapeControl } from "../core/diagnostics.js";
import { EXIT, processOutput, UsageError, type Output } from "./output.js";
import { VERSION } from "./version.js";

function buildProgram(io: Output, setExit: (code: number) => void): Command {
  const program = new Command("soc2")
    .description(
      "SOC 2 compliance as code: validate a compliance repository, report coverage, scaffold a new one.",
    )
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  const format = formatOption;
  // Commander passes positional arguments, then options; each action returns its exit status.
  // Each action imports its command module when it runs: `soc2 --version` and a command start
  // without loading what other commands need (Probot and the stand-in, exceljs, pg).
  const run: Runner =
    <A extends unknown[]>(fn: (...args: A) => Promise<number> | number) =>
    async (...args: A) =>
      setExit(await fn(...args));

  program
    .command("validate")
    .description(
      "check soc2.yml, controls, policies and evidence: schemas, references, criteria coverage",
    )
    .argument("[dir]", "compliance repository folder", ".")
    .addOption(format(["text", "json"]))
    .option(
      "--threads <n>",
      "check evidence records in n threads (default: one per CPU core, up to 4, from 2,000 records; 1: no extra thread)",
    )
    .addHelpText(
      "after",
      "\nExit status: 0 valid, 1 the repository has errors, 2 usage error.\nOutput: one diagnostic a line, path:line:column: error|warning: message [rule].",
    )
    .action(
      run(async (dir: string, opts: { format: string; threads?: string }) =>
        (await import("./commands/validate.js")).validateCommand(dir, opts, io),
      ),
    );

  program
    .command("coverage")
    .description(
      "map every in-scope Trust Services criterion to the controls that address it; gaps highlighted",
    )
    .argument("[dir]", "compliance repository folder", ".")
    .addOption(format(["text", "markdown", "json"]))
    .option(
      "--framework <framework>",
      "see coverage of iso27001 (ISO/IEC 27001:2022 Annex A) or nist-800-53 (rev. 5) controls through the crosswalk",
    )
    .addHelpText(
      "after",
      "\nExit status: 0 no gaps, 1 at least one in-scope criterion has no control (with --framework: a framework control\nno control reaches), 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: { format: string; framework?: string }) =>
        (await import("./commands/coverage.js")).coverageCommand(dir, opts, io),
      ),
    );

  program
    .command("criteria")
    .description("list the 61 Trust Services Criteria (IDs, category, family, short title)")
    .addOption(format(["text", "json"]))
    .action(
      run(async (opts: { format: string }) =>
        (await import("./commands/criteria.js")).criteriaCommand(opts, io),
      ),
    );

  program
    .command("init")
    .description(
      "scaffold a new compliance repository: soc2.yml, starter controls, the twelve policies, evidence/, a workflow",
    )
    .argument("<dir>", "new or empty folder to create the repository in")
    .option(
      "-c, --categories <list>",
      "comma-separated categories in scope besides security: availability, confidentiality, processing-integrity, privacy",
      "security",
    )
    .option(
      "-o, --organization <name>",
      "the organization's name, used in soc2.yml and the policies",
      "Example Inc.",
    )
    .action(
      run(async (dir: string, opts: { categories: string; organization: string }) =>
        (await import("./commands/init.js")).initCommand(dir, opts, io),
      ),
    );

  program
    .command("digest")
    .description(
      "compute the content digest of evidence records; --write fills it in on a new record",
    )
    .argument("<files...>", "evidence record files")
    .option("-w, --write", "write the digest into records that have none (never replaces one)")
    .action(
      run(async (files: string[], opts: { write?: boolean }) =>
        (await import("./commands/digest.js")).digestCommand(files, opts, io),
      ),
    );

  program
    .command("evaluate")
    .description(
      "re-compute the change-management (CC8.1) verdict of a pull request from its facts snapshot and soc2.yml",
    )
    .argument("<facts>", "pull-request facts file (JSON, schemas/pull-request-facts.schema.json)")
    .option("-c, --config <file>", "soc2.yml holding the change_management policy", "soc2.yml")
    .addOption(format(["text", "json"]))
    .addHelpText(
      "after",
      "\nThe moment of evaluation is the facts' collected_at, so a re-run gives the same verdict.\nExit status: 0 pass, 1 fail, 3 pending, 2 usage error (unreadable or invalid facts or soc2.yml).",
    )
    .action(
      run(async (facts: string, opts: { config: string; format: string }) =>
        (await import("./commands/evaluate.js")).evaluateCommand(facts, opts, io),
      ),
    );

  const app = program
    .command("app")
    .description("operate the soc2-as-code App: its delivery queue (see docs/app.md)");
  const queueOptions = (command: Command) =>
    command
      .option("--database-url <url>", "the App's PostgreSQL (default: DATABASE_URL)")
      .option("--queue-dir <dir>", "the App's delivery journal (default: DELIVERY_QUEUE_DIR)");
  queueOptions(
    app
      .command("deliveries")
      .description("list the webhook deliveries the App queued, handled or dead-lettered")
      .option("--failed", "only the dead-lettered deliveries (exit 1 when there are any)")
      .option("--state <state>", "queued, done or dead")
      .option("--limit <n>", "at most this many, oldest first")
      .addOption(format(["text", "json"])),
  ).action(
    run(async (opts: Parameters<typeof deliveriesCommand>[0]) =>
      (await import("./commands/app-deliveries.js")).deliveriesCommand(opts, io),
    ),
  );
  queueOptions(
    app
      .command("replay")
      .description("queue dead-lettered deliveries again, with fresh attempts")
      .argument("[ids...]", "delivery ids (X-GitHub-Delivery)")
      .option("--all-failed", "every dead-lettered delivery"),
  ).action(
    run(async (ids: string[], opts: Parameters<typeof replayCommand>[1]) =>
      (await import("./commands/app-deliveries.js")).replayCommand(ids, opts, io),
    ),
  );

  program
    .command("reconcile")
    .description(
      "ask GitHub what changed on a repository's protected branches since a date and record what the evidence lacks (merges, direct pushes, force pushes, deletions)",
    )
    .requiredOption("--repo <owner/name>", "the repository to reconcile")
    .requiredOption("--since <date>", "from this day (YYYY-MM-DD, UTC) or instant")
    .option("--until <date>", "up to this day or instant, excluded (default: now)")
    .option("--dry-run", "write nothing: list the changes that have no record (exit 1 when any)")
    .addOption(format(["text", "json"]))
    .option("--json", "the same as --format json")
    .addHelpText(
      "after",
      "\nReads GitHub with GITHUB_TOKEN at GITHUB_API_URL (default https://api.github.com) and writes where the\n" +
        "App's settings say (EVIDENCE_REPO, EVIDENCE_GIT_REMOTE or EVIDENCE_GIT_DIR; environment or ./.env).\n" +
        "Exit status: 0 every change is recorded, 1 --dry-run found changes without a record, 2 usage error\n" +
        "or a failure (GitHub, the evidence store): records written before it are complete; run it again.",
    )
    .action(
      run(async (opts: ReconcileOptions) =>
        (await import("./commands/reconcile.js")).reconcileCommand(opts, io),
      ),
    );

  program
    .command("demo")
    .description(
      "run the main job with no GitHub account: the App's webhook server, a loopback GitHub API stand-in, a story of pull requests; evidence in a local git repository",
    )
    .option(
      "-d, --dir <path>",
      "new or empty folder for the evidence repository (default: a new temporary folder)",
    )
    .action(
      run(async (opts: { dir?: string }) =>
        (await import("./commands/demo.js")).demoCommand(opts, io),
      ),
    );

  registerAuditCommands(program, io, run);
  registerMonitorCommands(program, io, run);
  registerOscalCommands(program, io, run);
  registerRequestsCommands(program, io, run);
  return program;
}

/** Runs the CLI and returns its exit status. Never throws: every failure becomes a one-line reason. */
export async function main(argv: readonly string[], io: Output = processOutput): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.err(`soc2: ${escapeControl(error.message)}\n`);
      return EXIT.usage;
    }
    io.err(`soc2: ${escapeControl(describeUnexpected(error))}\n`);
    return EXIT.usage;
  }
}

function describeUnexpected(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "EACCES" || code === "EPERM") return `permission denied: ${message}`;
  if (code === "ENOSPC") return `the disk is full: ${message}`;
  return `unexpected failure: ${message} (please report it with the command you ran)`;
}
