import type { Evaluation } from "../evaluation.js";
import type { RuleResult } from "../verdict.js";

/**
 * GitHub lists at most 250 commits and 3,000 files of a pull request. Past that, the evaluator
 * cannot see who committed what or which paths changed, so it fails closed instead of guessing.
 */
export function factsComplete({ facts }: Evaluation): RuleResult {
  const missing: string[] = [];
  if (!facts.commits_complete) {
    const total = facts.commit_count === undefined ? "more" : String(facts.commit_count);
    missing.push(
      `GitHub listed only ${facts.commits.length} of its ${total} commits, so their authors and committers cannot be checked`,
    );
  }
  if (!facts.changed_files_complete) {
    missing.push(
      `GitHub listed only ${facts.changed_files.length} of its changed files, so path rules and code owners cannot be checked`,
    );
  }
  return missing.length === 0
    ? {
        rule: "facts-complete",
        result: "pass",
        reason: `all ${facts.commits.length} commit(s) and ${facts.changed_files.length} changed file(s) are known`,
      }
    : {
        rule: "facts-complete",
        result: "fail",
        reason: `${missing.join("; ")}: split the change into smaller pull requests`,
        details: {
          commits_complete: facts.commits_complete,
          changed_files_complete: facts.changed_files_complete,
        },
      };
}
