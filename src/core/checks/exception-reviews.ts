import { dayOf } from "../audit/readiness-dates.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { EXCEPTIONS_DIR } from "../layout.js";
import { asObject, type Repository } from "../model.js";

/**
 * Each exceptions/<record>.yml reviews the exception of the change record its path and its
 * `record` name, and is dated on or after that change: a review that names nothing, or the wrong
 * record, would resolve nothing and mislead whoever reads it.
 */
export function checkExceptionReviews(
  repo: Repository,
  options: { partialEvidence?: boolean } = {},
): Diagnostic[] {
  const reviews = repo.exceptionReviews ?? [];
  if (reviews.length === 0) return [];
  const merged = new Map<string, string | undefined>();
  for (const r of repo.evidence) {
    const content = asObject(r.content);
    if (r.kind === "change-record" && r.id && content.exception !== undefined)
      merged.set(r.id, dayOf(asObject(content.change).merged_at));
  }
  const out: Diagnostic[] = [];
  for (const review of reviews) {
    const { record, file } = review;
    if (record === undefined) continue; // the schema reports it
    const at = file.parsed.locate(["record"]);
    const expected = `${EXCEPTIONS_DIR}/${record}`;
    if (file.path.replace(/\.ya?ml$/i, "") !== expected)
      out.push(
        diagnostic(
          file.path,
          at,
          "error",
          "exception-review-path",
          `reviews ${record}, but its file is ${file.path}: move it to ${expected}.yml, so that each exception has one review file`,
        ),
      );
    if (!merged.has(record) && !options.partialEvidence)
      out.push(
        diagnostic(
          file.path,
          at,
          "error",
          "exception-review-unknown-record",
          `no change record with an exception has the id ${record}: copy the id from the exception (soc2 exceptions lists them)`,
        ),
      );
    const mergedOn = merged.get(record);
    if (mergedOn && review.reviewedOn && review.reviewedOn < mergedOn)
      out.push(
        diagnostic(
          file.path,
          file.parsed.locate(["reviewed_on"]),
          "error",
          "exception-review-before-change",
          `reviewed_on ${review.reviewedOn} is before the change was merged (${mergedOn}): a retrospective review follows the change; correct the date`,
        ),
      );
  }
  return out;
}
