// Measures one child process: wall time, CPU time (user + system) and peak resident memory.
// GNU time reports the child's own rusage; without it only wall time is known. CPU seconds are
// what the benchmarks compare: a busy machine stretches wall time, not CPU time, much less.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

const GNU_TIME = "/usr/bin/time";
const hasGnuTime = existsSync(GNU_TIME);

/** Runs `node …args` (cwd, env optional) and resolves to { wallMs, cpuMs, maxRssMiB, code, stderr }. */
export function measureNode(args, { cwd, env, stdout = "ignore" } = {}) {
  const command = hasGnuTime ? GNU_TIME : process.execPath;
  const argv = hasGnuTime ? ["-f", "\nSOC2_BENCH %U %S %M", process.execPath, ...args] : args;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd, env, stdio: ["ignore", stdout, "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const match = /\nSOC2_BENCH ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
      resolve({
        wallMs,
        cpuMs: match ? (Number(match[1]) + Number(match[2])) * 1000 : wallMs,
        maxRssMiB: match ? Number(match[3]) / 1024 : NaN,
        code,
        stderr: match ? stderr.slice(0, match.index) : stderr,
      });
    });
  });
}

/** The median of `runs` measurements of the same command. */
export async function medianOf(runs, measure) {
  const samples = [];
  for (let r = 0; r < runs; r++) samples.push(await measure());
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(runs / 2)];
  return {
    wallMs: median("wallMs"),
    cpuMs: median("cpuMs"),
    maxRssMiB: median("maxRssMiB"),
    code: samples.at(-1).code,
    stderr: samples.at(-1).stderr,
  };
}
