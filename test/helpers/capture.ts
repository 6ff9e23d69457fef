import { main } from "../../src/cli/main.js";
import type { Output } from "../../src/cli/output.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process and captures what it writes. */
export async function runCli(...args: string[]): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: Output = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    color: false,
  };
  const code = await main(["node", "soc2", ...args], io);
  return { code, stdout, stderr };
}
