import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { asObject, asString } from "../json-read.js";
import type { Repository } from "../model.js";

/**
 * Cross-file checks of access reviews (access-reviews/<period>.yaml; each file's own shape is its
 * schema's): the file is named after its period, and its control exists, since a removal not
 * carried out is drift of that control.
 */
export function checkAccessReviews(repo: Repository): Diagnostic[] {
  const out: Diagnostic[] = [];
  const controlIds = new Set(repo.controls.flatMap((c) => (c.id ? [c.id] : [])));
  const configured = asString(
    asObject(asObject(repo.program?.raw.monitoring).access_review).control,
  );
  if (repo.program && configured !== undefined && !controlIds.has(configured))
    out.push(
      diagnostic(
        repo.program.file.path,
        repo.program.file.parsed.locate(["monitoring", "access_review", "control"]),
        "error",
        "unknown-control",
        `control "${configured}" does not exist: monitoring.access_review must name the access control defined in controls/ whose owner reviews access`,
      ),
    );
  for (const { file, value } of repo.accessReviews ?? []) {
    const v = asObject(value);
    const period = asString(v.period);
    const name = file.path.slice(file.path.lastIndexOf("/") + 1).replace(/\.ya?ml$/i, "");
    if (period !== undefined && period !== name)
      out.push(
        diagnostic(
          file.path,
          file.parsed.locate(["period"]),
          "error",
          "access-review-period",
          `the review is of period ${period} but the file is named ${name}: rename it to ${period}.yaml, or correct period`,
        ),
      );
    const control = asString(v.control);
    if (control !== undefined && repo.controls.length > 0 && !controlIds.has(control))
      out.push(
        diagnostic(
          file.path,
          file.parsed.locate(["control"]),
          "error",
          "unknown-control",
          `control "${control}" does not exist: an access review must name the access control it evidences, defined in controls/`,
        ),
      );
  }
  return out;
}
