// `npm start`: serves the App. Settings come from the environment, and from ./.env when present.
import { existsSync } from "node:fs";
import { serve } from "./serve.js";

if (existsSync(".env")) process.loadEnvFile(".env");

const running = await serve(process.env, (line) => console.error(line));
if (typeof running === "number") process.exit(running);

// SIGTERM (a deploy, a scale-down): take no new delivery, let the workers finish what they hold,
// and exit. What is still queued stays in the queue and is handled after the restart.
const stop = (signal: string) => {
  running.probot.log.info({ outcome: "shutdown", signal }, `soc2: ${signal}: stopping`);
  void running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", () => stop("SIGINT"));
process.once("SIGTERM", () => stop("SIGTERM"));
