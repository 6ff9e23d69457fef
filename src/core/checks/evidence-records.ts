import { contentDigest } from "../digest.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { EVIDENCE_KINDS, evidencePathOf, type EvidenceRecord, type Repository } from "../model.js";

/**
 * Each record's id is its path, its digest matches its content (a mismatch means the record was
 * edited after it was written), and it is of a kind its controls expect.
 */
export function checkEvidenceRecords(repo: Repository): Diagnostic[] {
  const check = evidenceRecordChecker(repo);
  return repo.evidence.flatMap(check);
}

/** The checks of one record against the program and controls, made once for a stream of records. */
export function evidenceRecordChecker(repo: Repository): (record: EvidenceRecord) => Diagnostic[] {
  const controls = new Map(repo.controls.flatMap((c) => (c.id ? [[c.id, c] as const] : [])));
  const evidencePath = repo.program?.evidencePath ?? evidencePathOf(undefined);
  return (record) => {
    const out: Diagnostic[] = [];
    const file = record.file;
    // The id is the path: unique by construction, so checking a new record never needs the
    // other records, and an auditor finds a record from its id alone.
    const expectedId = expectedEvidenceId(file.path, evidencePath);
    if (record.id !== undefined && record.id !== expectedId) {
      out.push(
        diagnostic(
          file.path,
          file.parsed.locate(["id"]),
          "error",
          "evidence-id-path",
          `id "${record.id}" does not match the record's path: set id: ${expectedId} (a record's id is its path under ${evidencePath}/ without .yml)`,
        ),
      );
    }
    if (
      record.digest &&
      /^sha256:[0-9a-f]{64}$/.test(record.digest) &&
      record.content !== undefined
    ) {
      const actual = contentDigest(record.content);
      if (actual !== record.digest) {
        out.push(
          diagnostic(
            file.path,
            file.parsed.locate(["digest"]),
            "error",
            "digest-mismatch",
            `content does not match its digest (content hashes to ${actual}): evidence is append-only, so restore the recorded content; a new record gets its digest from \`soc2 digest\``,
          ),
        );
      }
    }
    if (!record.kind || !EVIDENCE_KINDS.includes(record.kind)) return out; // schema-enum reports it
    // A drift event exists only when a control drifted: no control can list it as the evidence it
    // leaves (readiness would then call every period without drift a gap), so none expects it.
    if (record.kind === "drift-event") return out;
    record.controls.forEach((id, i) => {
      const control = controls.get(id);
      if (!control || control.evidence.length === 0) return;
      if (!control.evidence.some((e) => e.kind === record.kind)) {
        const expected = [...new Set(control.evidence.map((e) => e.kind))].join(", ");
        out.push(
          diagnostic(
            file.path,
            file.parsed.locate(["controls", i]),
            "warning",
            "evidence-kind-unexpected",
            `control ${id} expects ${expected} evidence, not ${record.kind}: add the kind to the control's evidence or link the record to another control`,
          ),
        );
      }
    });
    return out;
  };
}

/** The id an evidence record at this path must have: its path under the evidence folder, without the extension. */
export function expectedEvidenceId(path: string, evidencePath: string): string {
  return path.slice(evidencePath.length + 1).replace(/\.ya?ml$/i, "");
}
