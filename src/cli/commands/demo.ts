import { DemoError, runDemo } from "../../dev/demo/run-demo.js";
import { EXIT, UsageError, type Output } from "../output.js";

/**
 * The README's main job: the App's real webhook server, a loopback stand-in for the GitHub API
 * and a story of pull requests, leaving a validated evidence repository in a local git folder.
 */
export async function demoCommand(options: { dir?: string }, io: Output): Promise<number> {
  try {
    await runDemo({
      ...(options.dir ? { dir: options.dir } : {}),
      out: io.out,
      ...(io.now ? { now: io.now } : {}),
      // The whole loop, and its portal beside the evidence repository.
      monitoring: true,
      portal: true,
    });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DemoError) {
      if (/is not empty/.test(error.message)) throw new UsageError(error.message);
      io.err(`soc2 demo: ${error.message}\n`);
      return EXIT.findings;
    }
    throw error;
  }
}
