import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { lastCommitTime } from "../../adapters/last-commit.js";
import { countBySeverity } from "../../core/diagnostics.js";
import { buildCatalog } from "../../core/oscal/catalog.js";
import { buildComponentDefinition } from "../../core/oscal/component-definition.js";
import { clockOf, EXIT, UsageError, type Output } from "../output.js";
import { loadAndValidate } from "./validate.js";

export interface ExportOscalOptions {
  kind?: string;
  out?: string;
  lastModified?: string;
  documentVersion?: string;
}

/** `soc2 export oscal`: the program as an OSCAL component definition or catalog (JSON). Exit 0, or 2 on a usage error. */
export async function exportOscalCommand(
  dirArg: string | undefined,
  options: ExportOscalOptions,
  io: Output,
): Promise<number> {
  const kind = options.kind ?? "component-definition";
  if (kind !== "component-definition" && kind !== "catalog")
    throw new UsageError(`unknown --kind "${kind}": use component-definition or catalog`);
  const dir = resolve(dirArg ?? ".");
  const now = clockOf(io);
  const { repository, diagnostics } = await loadAndValidate(dir, now, { retain: "summary" });
  if (!repository.program)
    throw new UsageError(
      `${dir} is not a compliance repository (no readable soc2.yml): run soc2 validate, or soc2 init`,
    );
  const lastModified = options.lastModified
    ? timestamp(options.lastModified)
    : ((await lastCommitTime(dir)) ?? now.toISOString());
  const build = kind === "catalog" ? buildCatalog : buildComponentDefinition;
  const document = build(repository, {
    lastModified,
    version: options.documentVersion ?? lastModified.slice(0, 10),
  });
  const text = JSON.stringify(document, null, 2) + "\n";
  if (options.out) {
    await writeFile(resolve(options.out), text).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        `cannot write ${options.out}: ${error.code === "ENOENT" ? "its folder does not exist" : error.message}`,
      );
    });
    io.err(`soc2: wrote the OSCAL ${kind.replace("-", " ")} to ${options.out}\n`);
  } else io.out(text);
  const { errors } = countBySeverity(diagnostics);
  if (errors > 0)
    io.err(
      `soc2: note: the repository has ${errors} validation error(s); the export holds what could be read. Run soc2 validate ${dirArg ?? "."} for details.\n`,
    );
  return EXIT.ok;
}

function timestamp(value: string): string {
  const match =
    /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!match)
    throw new UsageError(
      `--last-modified "${value}" is not a timestamp with a time zone: use e.g. 2026-12-01T09:00:00Z`,
    );
  const [hour, minute, second, offsetHour, offsetMinute] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  // Date.parse rolls 2026-02-30 over to March 2: only a calendar day that survives the round trip
  // is real, and each clock field must be in range (24:00 and a 60th second are refused too).
  const dayMs = Date.parse(`${value.slice(0, 10)}T00:00:00Z`);
  const ms = Date.parse(value);
  if (
    Number.isNaN(dayMs) ||
    !new Date(dayMs).toISOString().startsWith(value.slice(0, 10)) ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59 ||
    offsetHour! > 23 ||
    offsetMinute! > 59 ||
    Number.isNaN(ms)
  )
    throw new UsageError(
      `--last-modified "${value}" is not a real date and time: use e.g. 2026-12-01T09:00:00Z`,
    );
  return new Date(ms).toISOString();
}
