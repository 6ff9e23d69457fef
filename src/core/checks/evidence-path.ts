import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { asObject } from "../json-read.js";
import type { Repository } from "../model.js";

/**
 * evidence.path names a folder that is not there. Its shape is checked by the schema; this is
 * what the schema cannot see. Nothing under a missing folder is validated, so records kept in
 * another folder (a typo, or evidence/ after the setting changed) would go unchecked. Only a
 * folder named explicitly is checked: a new repository may have no evidence/ yet.
 */
export function checkEvidencePath(
  repository: Repository,
  evidenceFolderExists: boolean | undefined,
): Diagnostic[] {
  const program = repository.program;
  if (!program || evidenceFolderExists !== false || !program.file.schemaValid) return [];
  if (asObject(asObject(program.raw).evidence).path === undefined) return [];
  return [
    diagnostic(
      program.file.path,
      program.file.parsed.locate(["evidence", "path"]),
      "error",
      "evidence-path",
      `evidence.path names ${program.evidencePath}/, which does not exist, so no evidence record is validated: set evidence.path to the folder that holds your records, or create the folder`,
    ),
  ];
}
