import type { Context } from "probot";
import {
  buildPullRequestEvent,
  type PushFacts,
} from "../../src/core/evidence/records/pull-request-event.js";
import type { GitHubClient } from "../../src/adapters/github/client.js";
import type { AppDependencies } from "../dependencies.js";
import { clientOf, getOrUndefined } from "../github.js";
import { append, recordContext } from "./record.js";

/**
 * pull_request.opened, reopened, synchronize, edited (base changed only), ready_for_review → a
 * pull-request-event record. For a push to the pull request (synchronize) the App asks GitHub
 * whether the new head descends from the old one: if not, the push rewrote history.
 */
export function onPullRequestEvent(deps: AppDependencies) {
  return async (context: Context<"pull_request">): Promise<void> => {
    const { payload } = context;
    let push: PushFacts | undefined;
    if (payload.action === "synchronize") {
      push = {
        forced: await rewritesHistory(
          clientOf(context),
          payload.repository.full_name,
          payload.before,
          payload.after,
        ),
      };
    }
    await append(deps, context, buildPullRequestEvent(payload, recordContext(deps, context), push));
  };
}

/** True when `after` does not descend from `before`; null when GitHub no longer knows `before`. */
async function rewritesHistory(
  client: GitHubClient,
  repository: string,
  before: string,
  after: string,
): Promise<boolean | null> {
  const [owner, repo] = repository.split("/");
  const data = await getOrUndefined(client, "GET /repos/{owner}/{repo}/compare/{basehead}", {
    owner,
    repo,
    basehead: `${before}...${after}`,
    per_page: 1,
  });
  const status = (data as { status?: unknown } | undefined)?.status;
  if (status === "ahead" || status === "identical") return false;
  if (status === "diverged" || status === "behind") return true;
  return null;
}
