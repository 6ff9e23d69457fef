import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { Repository } from "../model.js";

/** A policy is its text: front matter alone is a placeholder, not a policy an auditor can assess. */
export function checkPolicies(repo: Repository): Diagnostic[] {
  return repo.policies
    .filter((p) => p.body.replace(/<!--[\s\S]*?-->/g, "").trim() === "")
    .map((p) =>
      diagnostic(
        p.file.path,
        { line: p.file.frontMatterEnd ?? 1, column: 1 },
        "error",
        "policy-empty",
        "the policy has front matter but no text: write the policy below the closing --- line",
      ),
    );
}
