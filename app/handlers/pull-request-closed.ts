import type { Context } from "probot";
import { mergeChange } from "../changes/merge-change.js";
import type { AppDependencies } from "../dependencies.js";
import { clientOf, graphqlClientOf } from "../github.js";
import { fallbackWarning } from "../graphql-fallback.js";
import { append, deliveryOf, recordContext } from "./record.js";

/**
 * pull_request.closed with merged → the change record (app/changes/merge-change.ts, which the
 * reconciler calls too). A merge that did not meet the policy is recorded with an exception.
 * Closed without merging: nothing to record (no change reached the branch).
 */
export function onPullRequestClosed(deps: AppDependencies) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { payload } = context;
    const delivery = deliveryOf(context);
    if (!payload.pull_request.merged) {
      context.log.info(
        { ...delivery, status: "skipped" },
        "soc2: closed without merging: no change to record",
      );
      return;
    }
    const now = deps.now();
    const change = await mergeChange(
      clientOf(context),
      deps.config,
      payload,
      {
        ...recordContext(deps, context),
        recordedAt: now, // the facts are collected and evaluated at this moment
      },
      {
        store: deps.store,
        graphql: graphqlClientOf(context, deps.config),
        onGraphQLFallback: fallbackWarning(context),
      },
    );
    if (change.fallback)
      context.log.warn(
        { ...delivery, policy: change.fallback.policy, reason: change.fallback.reason },
        "soc2: no valid policy: the default rules apply",
      );
    if ("skip" in change) {
      context.log.info(
        { ...delivery, status: "skipped", reason: change.skip, ...change.fields },
        `soc2: ${change.fields ? change.skip : "nothing to record"}`,
      );
      return;
    }
    await append(deps, context, change.built);
  };
}
