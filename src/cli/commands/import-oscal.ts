import { lstat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { formatDiagnostic } from "../../core/diagnostics.js";
import { describeType, readRegularFile } from "../../adapters/read-regular-file.js";
import { writePlannedFiles } from "../../adapters/write-files.js";
import {
  controlFileText,
  equivalentControls,
  MAX_OSCAL_FILE_BYTES,
  readComponentDefinitionFile,
} from "../../core/oscal/import.js";
import { clockOf, EXIT, UsageError, type Output } from "../output.js";
import { loadAndValidate } from "./validate.js";

export interface ImportOscalOptions {
  force?: boolean;
  dryRun?: boolean;
}

/**
 * `soc2 import oscal <file> [dir]`: writes the controls of a component definition into
 * controls/. An existing control (same ID) with the same content is left alone; a different one
 * is replaced only with --force. A new control goes to controls/<id>.yml; a file already there (another
 * control, or one that cannot be read) is replaced only with --force, and never a folder or link.
 */
export async function importOscalCommand(
  file: string,
  dirArg: string | undefined,
  options: ImportOscalOptions,
  io: Output,
): Promise<number> {
  const dir = resolve(dirArg ?? ".");
  // Capped like every other reader: a huge file is refused unread; a link or FIFO is not followed.
  const read = await readRegularFile(resolve(file), MAX_OSCAL_FILE_BYTES);
  if (read.kind === "unreadable") {
    const missing = await lstat(resolve(file)).then(
      () => false,
      (error: NodeJS.ErrnoException) => error.code === "ENOENT",
    );
    throw new UsageError(`cannot read ${file}: ${missing ? "no such file" : read.reason}`);
  }
  if (read.kind === "not-regular")
    throw new UsageError(
      `cannot read ${file}: it is ${read.what}, not a regular file: pass the component definition's JSON file`,
    );
  const imported = readComponentDefinitionFile(
    file,
    read.kind === "read" ? { size: read.size, bytes: read.bytes } : { size: read.size },
  );
  for (const d of imported.diagnostics) io.err(formatDiagnostic(d) + "\n");
  if (imported.diagnostics.some((d) => d.severity === "error")) return EXIT.findings;
  if (imported.controls.length === 0) {
    io.err(
      `soc2: ${file} has no implemented requirement of a Trust Services criterion: nothing to import\n`,
    );
    return EXIT.findings;
  }

  const { repository } = await loadAndValidate(dir, clockOf(io), { retain: "summary" });
  let conflicts = 0;
  for (const control of imported.controls) {
    const existing = repository.controls.find((c) => c.id === control.id);
    const path = existing?.file.path ?? `controls/${control.id.toLowerCase()}.yml`;
    if (existing && equivalentControls(existing.file.parsed.value, control.value)) {
      io.out(`unchanged  ${path}\n`);
      continue;
    }
    if (existing && !options.force) {
      conflicts++;
      io.err(
        `soc2: ${path} (${control.id}) differs from the imported control: not replaced. Compare them, then rerun with --force to replace it\n`,
      );
      continue;
    }
    // No control has this ID, but the file it would go to may still be there: another control
    // (its ID not matching its file name), or a file that could not be read as a control.
    const occupant = existing ? undefined : await occupantOf(dir, path);
    if (occupant && (occupant.kind === "not-regular" || !options.force)) {
      conflicts++;
      const holder = repository.controls.find((c) => c.file.path === path);
      io.err(
        occupant.kind === "not-regular"
          ? `soc2: ${path} is ${occupant.what}: not replaced by the imported ${control.id}. Move it out of the way, then rerun\n`
          : holder
            ? `soc2: ${path} holds ${holder.id}, not the imported ${control.id}: not replaced. Rename that file, or rerun with --force to replace it\n`
            : `soc2: ${path} already exists and is not a readable control (see soc2 validate): not replaced by the imported ${control.id}. Rename that file, or rerun with --force to replace it\n`,
      );
      continue;
    }
    if (!options.dryRun) {
      // Through a temporary file and a rename: an interrupted import never leaves half a control.
      await writePlannedFiles(dir, [{ path, content: controlFileText(control.value) }]).catch(
        (error: NodeJS.ErrnoException) => {
          throw new UsageError(
            `cannot write ${join(dir, path)}: ${error.code === "EACCES" || error.code === "EPERM" ? "permission denied" : (error.code ?? error.message)}: it and the controls after it were not written`,
          );
        },
      );
    }
    io.out(`${existing || occupant ? "replaced" : "created"}   ${path}\n`);
  }
  if (imported.skipped > 0)
    io.out(`${imported.skipped} implemented requirement(s) of other catalogs skipped\n`);
  io.out(
    `Run soc2 validate${dirArg ? ` ${dirArg}` : ""} to check the imported controls (fields OSCAL does not carry, such as testing, may need filling in).\n`,
  );
  return conflicts > 0 ? EXIT.findings : EXIT.ok;
}

/** What is already at a control's path, if anything: a regular file, or something never replaced. */
async function occupantOf(
  dir: string,
  path: string,
): Promise<{ kind: "file" } | { kind: "not-regular"; what: string } | undefined> {
  try {
    const info = await lstat(join(dir, path));
    return info.isFile() ? { kind: "file" } : { kind: "not-regular", what: describeType(info) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`cannot check ${join(dir, path)}: ${(error as Error).message}`);
  }
}
