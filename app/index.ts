import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from "probot";
import { readConfig } from "./config.js";
import { createApp } from "./create-app.js";
import { storeFactory } from "./evidence-store.js";
import { PULL_LOOKUP_DELAYS_MS } from "./server.js";
import { sourceName } from "./version.js";
import { systemClock } from "../src/adapters/clock.js";

export { createApp, type AppSetup } from "./create-app.js";
export { ConfigError, readConfig, type AppConfig } from "./config.js";
export { startServer, type RunningApp, type StartOptions } from "./server.js";

/**
 * The App as Probot loads it (`probot run ./lib/app/index.js`, or a serverless adapter): settings
 * from the environment, the store they name, and the handlers.
 */
const soc2App: ApplicationFunction = (app: Probot, options: ApplicationFunctionOptions) => {
  const config = readConfig(process.env);
  return createApp({
    config,
    store: storeFactory(config, systemClock),
    now: systemClock,
    sourceName: sourceName(),
    pullLookupDelaysMs: PULL_LOOKUP_DELAYS_MS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  })(app, options);
};

export default soc2App;
