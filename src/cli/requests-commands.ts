import type { Command } from "commander";
import { collect, formatOption, type Runner } from "./command-kit.js";
import type { RequestIssuesOptions } from "./commands/request-issues.js";
import type { AnswerOptions, ImportOptions, StatusOptions } from "./commands/requests.js";
import type { Output } from "./output.js";

/** The auditor's request list: import it, answer its items, see where it stands (docs/auditor-guide.md). */
export function registerRequestsCommands(program: Command, io: Output, run: Runner): void {
  const requests = program
    .command("requests")
    .description(
      "the auditor's request list (PBC list): import it, answer each item, see what is open, answered or overdue",
    );
  requests
    .command("import")
    .description(
      "read a request list (.csv or .xlsx) and write one file per request under audit/<period>/requests/",
    )
    .argument("<list>", "the auditor's request list, .csv (UTF-8) or .xlsx")
    .argument("[dir]", "compliance repository folder", ".")
    .option("--period <name>", "the audit period's folder (default: from soc2.yml's audit period)")
    .option(
      "--date-order <order>",
      "how to read slashed dates such as 03/04/2026: mdy (month first) or dmy (day first)",
      "mdy",
    )
    .option("--sheet <name>", "the worksheet of an .xlsx (default: the first with a header row)")
    .option("--dry-run", "read and report; write nothing")
    .addHelpText(
      "after",
      "\nColumns are recognized by the names request lists use (Request ID, PBC #, Ref; Request, Description;\n" +
        "TSC, Criteria; Due, Due Date; Sample, Population/Sample; Control), case and spacing ignored; the\n" +
        "command prints which it understood. Re-importing an updated list updates what the list says and\n" +
        "never changes a request's status or answer. A list with an error writes nothing.\n" +
        "Exit status: 0 imported, 1 the list has errors, 2 usage error.",
    )
    .action(
      run(async (list: string, dir: string, opts: ImportOptions) =>
        (await import("./commands/requests.js")).importRequestsCommand(list, dir, opts, io),
      ),
    );
  requests
    .command("status")
    .description("open, answered, overdue and stale requests, as of a date")
    .argument("[dir]", "compliance repository folder", ".")
    .option("--period <name>", "one audit period (default: soc2.yml's, else every period)")
    .option("--as-of <date>", "judge due dates as of this day (YYYY-MM-DD; default: today)")
    .addOption(formatOption(["text", "json"]))
    .addHelpText(
      "after",
      "\nOverdue: open, with a due date before the as-of date. Stale: answered, but an evidence file of the\n" +
        "answer changed since its digest was frozen.\n" +
        "Exit status: 0 nothing overdue or stale, 1 something is, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: StatusOptions) =>
        (await import("./commands/requests.js")).requestsStatusCommand(dir, opts, io),
      ),
    );
  requests
    .command("answer")
    .description(
      "answer a request: the controls and evidence files that answer it, each file's digest frozen",
    )
    .argument("<id>", "the request's ID")
    .argument("[dir]", "compliance repository folder", ".")
    .option("--period <name>", "the audit period's folder (default: from soc2.yml's audit period)")
    .option("--control <id>", "a control that answers it; repeat for more", collect)
    .option(
      "--evidence <file>",
      "a file (from the repository root) that answers it; repeat",
      collect,
    )
    .option("--note <text>", "a note for the auditor")
    .option("--by <name>", "who answers it")
    .option("--accept-suggested", "confirm the suggested controls and policies into the answer")
    .addHelpText(
      "after",
      "\nAdds to an existing answer and freezes the digest of every evidence file in it again: run it after\n" +
        "checking a stale answer. Commit the file in a pull request, where a person reviews the answer.\n" +
        "Exit status: 0 answered, 2 usage error (no such request, control or file).",
    )
    .action(
      run(async (id: string, dir: string, opts: AnswerOptions) =>
        (await import("./commands/requests.js")).answerRequestCommand(id, dir, opts, io),
      ),
    );
  requests
    .command("issues")
    .description(
      "one GitHub issue per open request, updated when the list changes it, closed once it is answered in the repository",
    )
    .argument("[dir]", "compliance repository folder", ".")
    .requiredOption("--repo <owner/name>", "the repository that holds the issues")
    .option("--period <name>", "only this audit period's requests (default: every period)")
    .option("--dry-run", "list what would change; change nothing")
    .addHelpText(
      "after",
      "\nReads GITHUB_TOKEN (issues: write) and GITHUB_API_URL (default https://api.github.com), or ./.env.\n" +
        "Issues carry the label soc2-request and a hidden marker: a rerun finds them and changes nothing.\n" +
        "Exit status: 0 in sync, 2 usage error or a GitHub failure (run it again).",
    )
    .action(
      run(async (dir: string, opts: RequestIssuesOptions) =>
        (await import("./commands/request-issues.js")).requestIssuesCommand(dir, opts, io),
      ),
    );
}
