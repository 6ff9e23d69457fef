import { CATEGORY_NAMES, findCriterion } from "../criteria.js";
import { computeCoverage } from "../coverage.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { Repository } from "../model.js";

/** Not-applicable declarations must make sense, and every in-scope criterion needs a control. */
export function checkScope(repo: Repository): Diagnostic[] {
  const program = repo.program;
  if (!program) return [];
  const out: Diagnostic[] = [];
  const file = program.file;
  const inScope = new Set(["security", ...program.categories]);
  const seen = new Set<string>();
  const mapped = new Set(repo.controls.flatMap((c) => c.criteria));

  for (const na of program.notApplicable) {
    const at = file.parsed.locate(["scope", "not_applicable", na.index, "criterion"]);
    const criterion = findCriterion(na.criterion);
    if (!criterion) continue; // reported as unknown-criterion
    if (seen.has(na.criterion)) {
      out.push(
        diagnostic(
          file.path,
          at,
          "error",
          "not-applicable-duplicate",
          `${na.criterion} is declared not applicable twice: keep one entry`,
        ),
      );
    }
    seen.add(na.criterion);
    if (criterion.category === "security") {
      out.push(
        diagnostic(
          file.path,
          at,
          "warning",
          "not-applicable-security",
          `${na.criterion} is a common criterion (Security): auditors rarely accept the common criteria as not applicable, so make sure the justification holds`,
        ),
      );
    } else if (!inScope.has(criterion.category)) {
      out.push(
        diagnostic(
          file.path,
          at,
          "warning",
          "not-applicable-out-of-scope",
          `${na.criterion} belongs to ${CATEGORY_NAMES[criterion.category]}, which is not in scope.categories: the declaration has no effect, remove it`,
        ),
      );
    }
    if (mapped.has(na.criterion)) {
      out.push(
        diagnostic(
          file.path,
          at,
          "warning",
          "not-applicable-covered",
          `${na.criterion} is declared not applicable, yet controls list it: remove the declaration or the mapping`,
        ),
      );
    }
  }

  const categoriesAt = file.parsed.locate(["scope", "categories"]);
  for (const row of computeCoverage(repo).rows) {
    if (row.status !== "gap") continue;
    const c = row.criterion;
    out.push(
      diagnostic(
        file.path,
        categoriesAt,
        "error",
        "coverage-gap",
        `${c.id} (${c.title}) is in scope but no control addresses it: add a control that lists ${c.id} under criteria, or declare it under scope.not_applicable with a justification`,
      ),
    );
  }
  return out;
}
