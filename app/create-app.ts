import type { ApplicationFunction, Probot } from "probot";
import type { EvidenceStore } from "../src/core/evidence/pending-record.js";
import type { AppDependencies } from "./dependencies.js";
import { guarded } from "./handlers/record.js";
import { ROUTES } from "./routes.js";

export type AppSetup = Omit<AppDependencies, "store"> & {
  /** The store, or how to open it once Probot is loaded (the GitHub store authenticates as the App). */
  store: EvidenceStore | ((app: Probot) => EvidenceStore);
};

/**
 * The App as a Probot application function (`probot run`, serverless adapters, tests): the route
 * table of routes.ts, registered with Probot. The server of server.ts does not use it: it queues
 * deliveries durably and dispatches them itself (app/intake/).
 */
export function createApp(setup: AppSetup): ApplicationFunction {
  return (app) => {
    const store = typeof setup.store === "function" ? setup.store(app) : setup.store;
    const deps: AppDependencies = { ...setup, store };
    for (const route of ROUTES)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Probot's event names are typed literals
      app.on(route.events as any, guarded(route.handler(deps), deps.now));
  };
}
