import type { RepositoryState } from "../state/repository.js";
import type { BranchProtectionConfig } from "../state/types.js";
import type { SerializeContext } from "./context.js";

/** Classic branch protection as `branch-protection`. */
export function branchProtection(
  ctx: SerializeContext,
  repo: RepositoryState,
  branch: string,
  config: BranchProtectionConfig,
): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}/branches/${encodeURIComponent(branch)}/protection`;
  const out: Record<string, unknown> = {
    url,
    enabled: true,
    enforce_admins: { url: `${url}/enforce_admins`, enabled: config.enforceAdmins ?? false },
    required_linear_history: { enabled: config.requiredLinearHistory ?? false },
    allow_force_pushes: { enabled: config.allowForcePushes ?? false },
    allow_deletions: { enabled: false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
    required_signatures: { url: `${url}/required_signatures`, enabled: false },
  };
  if (config.requiredApprovingReviewCount !== undefined) {
    out.required_pull_request_reviews = {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: config.dismissStaleReviews ?? false,
      require_code_owner_reviews: config.requireCodeOwnerReviews ?? false,
      required_approving_review_count: config.requiredApprovingReviewCount,
      require_last_push_approval: config.requireLastPushApproval ?? false,
    };
  }
  if (config.requiredStatusChecks) {
    out.required_status_checks = {
      url: `${url}/required_status_checks`,
      strict: config.strictStatusChecks ?? false,
      contexts: config.requiredStatusChecks,
      checks: config.requiredStatusChecks.map((context) => ({ context, app_id: null })),
      contexts_url: `${url}/required_status_checks/contexts`,
    };
  }
  return out;
}
