import { asList, asObject, asString } from "../json-read.js";
import { isNotAvailable, type BranchSettings } from "./snapshot.js";

/**
 * What GitHub enforces on a branch, combining classic branch protection with the ruleset rules
 * that apply to it. GitHub layers the two and the stricter wins, so each field is the stricter of
 * both sources. `unknown` lists what could not be read, so a requirement is never judged on a gap.
 */
export interface EffectiveProtection {
  required_approving_review_count: number;
  dismiss_stale_reviews: boolean;
  require_code_owner_reviews: boolean;
  require_last_push_approval: boolean;
  required_status_checks: string[];
  force_pushes_blocked: boolean;
  deletions_blocked: boolean;
  /** Classic protection's "do not allow bypassing": administrators are held to the rules too. */
  enforce_admins: boolean;
  /** Why a source was not read, e.g. "classic protection: not available: HTTP 403 …". */
  unknown: string[];
}

export function effectiveProtection(branch: BranchSettings): EffectiveProtection {
  const out: EffectiveProtection = {
    required_approving_review_count: 0,
    dismiss_stale_reviews: false,
    require_code_owner_reviews: false,
    require_last_push_approval: false,
    required_status_checks: [],
    force_pushes_blocked: false,
    deletions_blocked: false,
    enforce_admins: false,
    unknown: [],
  };
  const checks = new Set<string>();
  if (isNotAvailable(branch.protection))
    out.unknown.push(`classic protection: not available: ${branch.protection.not_available}`);
  else if (branch.protection) {
    const p = branch.protection;
    const reviews = asObject(p.required_pull_request_reviews);
    if (p.required_pull_request_reviews) {
      out.required_approving_review_count = numberOf(reviews.required_approving_review_count);
      out.dismiss_stale_reviews = reviews.dismiss_stale_reviews === true;
      out.require_code_owner_reviews = reviews.require_code_owner_reviews === true;
      out.require_last_push_approval = reviews.require_last_push_approval === true;
    }
    for (const c of asList(asObject(p.required_status_checks).contexts))
      if (typeof c === "string") checks.add(c);
    out.force_pushes_blocked = asObject(p.allow_force_pushes).enabled !== true;
    out.deletions_blocked = asObject(p.allow_deletions).enabled !== true;
    out.enforce_admins = asObject(p.enforce_admins).enabled === true;
  }
  if (isNotAvailable(branch.rules))
    out.unknown.push(`rulesets: not available: ${branch.rules.not_available}`);
  else
    for (const rule of branch.rules) {
      const parameters = asObject(rule.parameters);
      switch (asString(rule.type)) {
        case "pull_request":
          out.required_approving_review_count = Math.max(
            out.required_approving_review_count,
            numberOf(parameters.required_approving_review_count),
          );
          out.dismiss_stale_reviews ||= parameters.dismiss_stale_reviews_on_push === true;
          out.require_code_owner_reviews ||= parameters.require_code_owner_review === true;
          out.require_last_push_approval ||= parameters.require_last_push_approval === true;
          break;
        case "required_status_checks":
          for (const c of asList(parameters.required_status_checks)) {
            const context = asString(asObject(c).context);
            if (context) checks.add(context);
          }
          break;
        case "non_fast_forward":
          out.force_pushes_blocked = true;
          break;
        case "deletion":
          out.deletions_blocked = true;
          break;
      }
    }
  // With no classic protection and no rules, nothing blocks a force push or a deletion.
  if (!isNotAvailable(branch.protection) && branch.protection === null) {
    const types = isNotAvailable(branch.rules) ? [] : branch.rules.map((r) => r.type);
    out.force_pushes_blocked = types.includes("non_fast_forward");
    out.deletions_blocked = types.includes("deletion");
  }
  out.required_status_checks = [...checks].sort();
  return out;
}

function numberOf(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
