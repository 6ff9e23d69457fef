import type { Context } from "probot";
import { pushChange } from "../changes/push-change.js";
import type { AppDependencies } from "../dependencies.js";
import { clientOf, graphqlClientOf } from "../github.js";
import { fallbackWarning } from "../graphql-fallback.js";
import { append, deliveryOf, recordContext } from "./record.js";

/**
 * push to a protected branch → one direct-push change record when commits reached the branch
 * without a merged pull request into it, or the push was forced, or it deleted the branch
 * (app/changes/push-change.ts, which the reconciler calls too).
 */
export function onPush(deps: AppDependencies) {
  return async (context: Context<"push">): Promise<void> => {
    const change = await pushChange(
      {
        ...deps,
        client: clientOf(context),
        graphql: graphqlClientOf(context, deps.config),
        onGraphQLFallback: fallbackWarning(context),
      },
      context.payload,
      recordContext(deps, context),
    );
    if ("skip" in change) {
      context.log.info(
        { ...deliveryOf(context), status: "skipped", reason: change.skip },
        "soc2: nothing to record",
      );
      return;
    }
    await append(deps, context, change.built);
  };
}
