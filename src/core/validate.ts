import { checkDates } from "./checks/dates.js";
import { checkEvidenceRecords } from "./checks/evidence-records.js";
import { checkPolicies } from "./checks/policies.js";
import { checkReferences } from "./checks/references.js";
import { checkScope } from "./checks/scope.js";
import { checkUniqueIds } from "./checks/unique-ids.js";
import { compareDiagnostics, diagnostic, FILE_START, type Diagnostic } from "./diagnostics.js";
import { classifyPath, PROGRAM_FILE } from "./layout.js";
import {
  evidencePathOf,
  readControl,
  readEvidence,
  readPolicy,
  readProgram,
  type Repository,
} from "./model.js";
import { loadSourceFile, type SourceFile } from "./source-file.js";

export interface ValidationResult {
  repository: Repository;
  diagnostics: Diagnostic[];
}

export interface ValidateOptions {
  /** The moment "now" for checks of dates; passed in so that the core stays pure and tests are stable. */
  now: Date;
}

/**
 * Validates a compliance repository: each file against its schema, then the checks across files
 * (IDs, references, scope and coverage, dates, evidence digests). Never throws on bad data.
 */
export function validateRepository(
  files: readonly SourceFile[],
  options: ValidateOptions,
): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  const repository: Repository = { controls: [], policies: [], evidence: [] };

  const programSource = files.find((f) => f.path === PROGRAM_FILE);
  if (programSource) {
    const loaded = loadSourceFile(programSource, "program");
    diagnostics.push(...loaded.diagnostics);
    if (loaded.file) repository.program = readProgram(loaded.file);
  } else {
    diagnostics.push(
      diagnostic(
        PROGRAM_FILE,
        FILE_START,
        "error",
        "missing-program",
        "no soc2.yml at the repository root: create one, or run `soc2 init` to scaffold a repository",
      ),
    );
  }
  const evidencePath = repository.program?.evidencePath ?? evidencePathOf(undefined);

  for (const source of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const format = classifyPath(source.path, evidencePath);
    if (format === undefined || format === "program") continue;
    const loaded = loadSourceFile(source, format);
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.file) continue;
    if (format === "control") repository.controls.push(readControl(loaded.file));
    else if (format === "policy") repository.policies.push(readPolicy(loaded.file));
    else repository.evidence.push(readEvidence(loaded.file));
  }

  diagnostics.push(
    ...checkUniqueIds(repository),
    ...checkReferences(repository),
    ...checkScope(repository),
    ...checkDates(repository, options.now),
    ...checkEvidenceRecords(repository),
    ...checkPolicies(repository),
  );
  return { repository, diagnostics: diagnostics.sort(compareDiagnostics) };
}
