import { main } from "../../src/cli/main.js";
import type { Output } from "../../src/cli/output.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** What the command waited for (backoff, Retry-After), in ms: given back at once, not slept. */
  waits: number[];
}

/** Runs the CLI in-process and captures what it writes. */
export async function runCli(...args: string[]): Promise<RunResult> {
  return runCliAt(undefined, ...args);
}

/** The same, with the CLI's clock reading `now` (undefined: the process clock). */
export async function runCliAt(now: Date | undefined, ...args: string[]): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const waits: number[] = [];
  const io: Output = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    color: false,
    ...(now ? { now: () => now } : {}),
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
  const code = await main(["node", "soc2", ...args], io);
  return { code, stdout, stderr, waits };
}
