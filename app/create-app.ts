import type { ApplicationFunction, Probot } from "probot";
import type { EvidenceStore } from "../src/core/evidence/pending-record.js";
import type { AppDependencies } from "./dependencies.js";
import { onPullRequestClosed } from "./handlers/pull-request-closed.js";
import { onPullRequestEvent } from "./handlers/pull-request.js";
import { onReview } from "./handlers/pull-request-review.js";
import { onPush } from "./handlers/push.js";
import { guarded } from "./handlers/record.js";

export type AppSetup = Omit<AppDependencies, "store"> & {
  /** The store, or how to open it once Probot is loaded (the GitHub store authenticates as the App). */
  store: EvidenceStore | ((app: Probot) => EvidenceStore);
};

/** The App: which webhook goes to which handler. Everything else lives in the handlers. */
export function createApp(setup: AppSetup): ApplicationFunction {
  return (app) => {
    const store = typeof setup.store === "function" ? setup.store(app) : setup.store;
    const deps: AppDependencies = { ...setup, store };
    app.on(
      [
        "pull_request_review.submitted",
        "pull_request_review.edited",
        "pull_request_review.dismissed",
      ],
      guarded(onReview(deps)),
    );
    app.on(
      [
        "pull_request.opened",
        "pull_request.reopened",
        "pull_request.synchronize",
        "pull_request.edited",
        "pull_request.ready_for_review",
      ],
      guarded(onPullRequestEvent(deps)),
    );
    app.on("pull_request.closed", guarded(onPullRequestClosed(deps)));
    app.on("push", guarded(onPush(deps)));
  };
}
