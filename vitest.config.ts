import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defineConfig } from "vitest/config";
import { DEFAULT_SUITE_CLOCK_START } from "./test/support/suite-clock.js";

// The whole suite runs on a far-away fake date (test/support/fake-clock.mjs, preloaded through
// NODE_OPTIONS so that the CLIs and servers the tests start share it): a test that depends on
// today's date fails today, not next month on a fresh clone.
const fakeClock = pathToFileURL(
  fileURLToPath(new URL("./test/support/fake-clock.mjs", import.meta.url)),
);
process.env.SOC2_TEST_CLOCK ??= DEFAULT_SUITE_CLOCK_START;
process.env.SOC2_TEST_CLOCK_ORIGIN ??= String(Date.now());
if (!process.env.NODE_OPTIONS?.includes(fakeClock.href))
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --import ${fakeClock.href}`.trim();

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    pool: "forks",
    // Two files at a time even on two cores (vitest's default leaves one core free): most of a
    // slow file's time is spent waiting on git, servers and the processes it starts, not on CPU.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Test files share their worker processes (a fork loads the modules once, not once per file):
    // the suite takes about two thirds of the time. A file that mocks a module loads what it
    // tests after vi.resetModules() (test/adapters/read-regular-file.test.ts); what a file changes
    // of the process is put back when it ends (test/support/restore-process-state.ts).
    isolate: false,
    globalSetup: ["./test/support/postgres-server.ts"],
    setupFiles: ["./test/support/restore-process-state.ts"],
    reporters: ["default", "./test/support/plain-summary-reporter.ts"],
  },
});
