// Test files share worker processes (vitest.config.ts: isolate false). Whatever a file changes of
// the process (environment variables, the working folder, fake timers, the exit code) is put back
// when the file ends, so that the next file in the same worker starts as it would in a fresh one.
import { afterAll, vi } from "vitest";

const env = { ...process.env };
const cwd = process.cwd();

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  if (process.cwd() !== cwd) process.chdir(cwd);
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  process.exitCode = undefined;
});
