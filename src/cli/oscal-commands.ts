import type { Command } from "commander";
import type { Runner } from "./command-kit.js";
import type { ExportOscalOptions } from "./commands/export-oscal.js";
import type { ImportOscalOptions } from "./commands/import-oscal.js";
import type { Output } from "./output.js";

/** `soc2 export oscal` and `soc2 import oscal`: the program in NIST's OSCAL (see docs/frameworks.md). */
export function registerOscalCommands(program: Command, io: Output, run: Runner): void {
  program
    .command("export")
    .description("export the program in another format")
    .command("oscal")
    .description(
      "write the program as an OSCAL component definition (JSON, OSCAL 1.2.0): the controls as implemented requirements of the Trust Services Criteria",
    )
    .argument("[dir]", "compliance repository folder", ".")
    .option(
      "--kind <kind>",
      "component-definition (how the controls meet the criteria) or catalog (the controls themselves)",
      "component-definition",
    )
    .option("-o, --out <file>", "write to this file instead of standard output")
    .option(
      "--last-modified <timestamp>",
      "metadata last-modified (default: the latest commit's time, else now)",
    )
    .option("--document-version <version>", "metadata version (default: the last-modified day)")
    .addHelpText(
      "after",
      "\nUUIDs are derived from names (RFC 4122 version 5): the same program exports the same document.\nExit status: 0 written, 2 usage error.",
    )
    .action(
      run(async (dir: string, opts: ExportOscalOptions) =>
        (await import("./commands/export-oscal.js")).exportOscalCommand(dir, opts, io),
      ),
    );

  program
    .command("import")
    .description("import controls from another format")
    .command("oscal")
    .description(
      "read an OSCAL component definition's implemented requirements of the Trust Services Criteria back into controls/*.yml",
    )
    .argument("<file>", "OSCAL component definition (JSON)")
    .argument("[dir]", "compliance repository folder", ".")
    .option("--force", "overwrite a control file whose content differs")
    .option("--dry-run", "say what would be written, write nothing")
    .addHelpText(
      "after",
      "\nA control is matched by its ID (the control-id property, or one made from the requirement's UUID):\nan existing file with the same content is left alone; a different one is only replaced with --force.\nExit status: 0 imported, 1 a file differs (without --force) or the document has problems, 2 usage error.",
    )
    .action(
      run(async (file: string, dir: string, opts: ImportOscalOptions) =>
        (await import("./commands/import-oscal.js")).importOscalCommand(file, dir, opts, io),
      ),
    );
}
