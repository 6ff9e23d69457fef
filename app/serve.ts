import { ConfigError } from "./config.js";
import { startServer, type RunningApp } from "./server.js";

/**
 * Starts the server for `npm start`, or explains in one line per problem why it cannot, and
 * answers the exit status (1). A missing webhook secret in production is such a problem.
 */
export async function serve(
  env: NodeJS.ProcessEnv,
  printError: (line: string) => void,
): Promise<RunningApp | number> {
  try {
    const running = await startServer({ env });
    running.probot.log.info(
      `soc2-as-code App listening: deliveries to ${running.webhookUrl}, health at ${running.url}/health`,
    );
    return running;
  } catch (error) {
    const problems =
      error instanceof ConfigError
        ? error.problems
        : [error instanceof Error ? error.message : String(error)];
    for (const problem of problems) printError(`soc2 app: ${problem}`);
    return 1;
  }
}
