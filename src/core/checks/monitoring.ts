import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { asList, asObject, asString } from "../json-read.js";
import type { Repository } from "../model.js";

/**
 * Cross-file checks of continuous monitoring: each desired-state declaration in soc2.yml names a
 * control that exists (its drift is that control's drift), and each compact settings snapshot's
 * `same_as` names a stored record holding settings with the same digest.
 */
export function checkMonitoring(repo: Repository): Diagnostic[] {
  const out: Diagnostic[] = [];
  const controlIds = new Set(repo.controls.flatMap((c) => (c.id ? [c.id] : [])));
  if (repo.program) {
    const file = repo.program.file;
    asList(asObject(repo.program.raw.monitoring).desired_state).forEach((entry, i) => {
      const control = asString(asObject(entry).control);
      if (control !== undefined && !controlIds.has(control))
        out.push(
          diagnostic(
            file.path,
            file.parsed.locate(["monitoring", "desired_state", i, "control"]),
            "error",
            "unknown-control",
            `control "${control}" does not exist: a desired-state declaration must name a control defined in controls/`,
          ),
        );
    });
  }
  const snapshots = new Map(
    repo.evidence
      .filter((r) => r.kind === "settings-snapshot" && r.id)
      .map((r) => [r.id!, asObject(r.content)]),
  );
  for (const record of repo.evidence) {
    if (record.kind !== "settings-snapshot") continue;
    const content = asObject(record.content);
    const sameAs = asString(content.same_as);
    if (sameAs === undefined) continue;
    const full = snapshots.get(sameAs);
    const problem =
      full === undefined || full.settings === undefined
        ? `same_as names "${sameAs}", which is not a stored settings snapshot holding settings: the record it stands for is missing`
        : full.settings_digest !== content.settings_digest
          ? `same_as names "${sameAs}", whose settings_digest differs from this record's: it does not hold the same settings`
          : undefined;
    if (problem)
      out.push(
        diagnostic(
          record.file.path,
          record.file.parsed.locate(["content", "same_as"]),
          "error",
          "snapshot-reference",
          problem,
        ),
      );
  }
  return out;
}
