import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Document, isScalar, isSeq, visit } from "yaml";
import { formatDiagnostic } from "../../core/diagnostics.js";
import { SCHEMA_IDS } from "../../core/schemas.js";
import { equivalentControls, readComponentDefinition } from "../../core/oscal/import.js";
import { clockOf, EXIT, UsageError, type Output } from "../output.js";
import { loadAndValidate } from "./validate.js";

export interface ImportOscalOptions {
  force?: boolean;
  dryRun?: boolean;
}

/**
 * `soc2 import oscal <file> [dir]`: writes the controls of a component definition into
 * controls/. An existing control (same ID) with the same content is left alone; a different one
 * is replaced only with --force.
 */
export async function importOscalCommand(
  file: string,
  dirArg: string | undefined,
  options: ImportOscalOptions,
  io: Output,
): Promise<number> {
  const dir = resolve(dirArg ?? ".");
  const text = await readFile(resolve(file), "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`,
    );
  });
  const imported = readComponentDefinition(file, text);
  for (const d of imported.diagnostics) io.err(formatDiagnostic(d) + "\n");
  if (imported.diagnostics.some((d) => d.severity === "error")) return EXIT.findings;
  if (imported.controls.length === 0) {
    io.err(
      `soc2: ${file} has no implemented requirement of a Trust Services criterion: nothing to import\n`,
    );
    return EXIT.findings;
  }

  const { repository } = await loadAndValidate(dir, clockOf(io));
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
    io.out(`${existing ? "replaced" : "created"}   ${path}\n`);
    if (!options.dryRun) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), controlYaml(control.value));
    }
  }
  if (imported.skipped > 0)
    io.out(`${imported.skipped} implemented requirement(s) of other catalogs skipped\n`);
  io.out(
    `Run soc2 validate${dirArg ? ` ${dirArg}` : ""} to check the imported controls (fields OSCAL does not carry, such as testing, may need filling in).\n`,
  );
  return conflicts > 0 ? EXIT.findings : EXIT.ok;
}

/** A control file as people write them: lists of IDs in flow style (`criteria: [CC6.1, CC6.2]`). */
function controlYaml(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return (
    `# yaml-language-server: $schema=${SCHEMA_IDS.control}\n` +
    doc.toString({ lineWidth: 100, flowCollectionPadding: false })
  );
}
