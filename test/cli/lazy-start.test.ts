import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

// Spawns the built CLI (bin/soc2.js → lib/): run `npm run build` first.
const bin = new URL("../../bin/soc2.js", import.meta.url).pathname;
const recorder = new URL("../support/record-loads.mjs", import.meta.url).href;
const facts = new URL("../core/change-management/fixtures/", import.meta.url).pathname;

/** What only some commands need: loading any of them slows every other command's start. */
const HEAVY =
  /\/node_modules\/(probot|exceljs|pg|playwright-core|markdown-it)\/|\/dev\/github-stand-in\//;

async function modulesLoadedBy(...args: string[]): Promise<string[]> {
  const log = join(await tempDir(), "loads.txt");
  await promisify(execFile)(process.execPath, ["--import", recorder, bin, ...args], {
    env: { ...process.env, SOC2_LOAD_LOG: log },
  }).catch((error: { code?: unknown }) => {
    if (typeof error.code !== "number") throw error;
  });
  return (await readFile(log, "utf8")).split("\n").filter(Boolean);
}

describe("the CLI loads a command's modules only when that command runs", () => {
  it.each([["--version"], ["--help"], ["evaluate", "--help"]])(
    "soc2 %s loads no command module",
    async (...args) => {
      const loaded = await modulesLoadedBy(...args);
      expect(loaded.some((url) => url.endsWith("/lib/src/cli/main.js"))).toBe(true);
      expect(loaded.filter((url) => url.includes("/lib/src/cli/commands/"))).toEqual([]);
      expect(loaded.filter((url) => HEAVY.test(url))).toEqual([]);
    },
  );

  it("soc2 evaluate loads neither Probot, the stand-in, exceljs nor pg", async () => {
    const loaded = await modulesLoadedBy(
      "evaluate",
      join(facts, "approved.json"),
      "--config",
      join(facts, "repo/soc2.yml"),
    );
    expect(loaded.some((url) => url.endsWith("/lib/src/cli/commands/evaluate.js"))).toBe(true);
    expect(loaded.filter((url) => HEAVY.test(url))).toEqual([]);
  });

  it("soc2 validate loads neither Probot, the stand-in, exceljs nor pg", async () => {
    const loaded = await modulesLoadedBy("validate", new URL("../..", import.meta.url).pathname);
    expect(loaded.some((url) => url.endsWith("/lib/src/cli/commands/validate.js"))).toBe(true);
    expect(loaded.filter((url) => HEAVY.test(url))).toEqual([]);
  });
});

describe("the launcher", () => {
  it("tunes the heap's growth with a flag this Node knows: nothing on standard error", async () => {
    // An unknown V8 flag is not an exception: V8 prints "unrecognized flag" and goes on.
    const run = await promisify(execFile)(process.execPath, [bin, "--version"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const own = await promisify(execFile)(process.execPath, [
      "--heap-growing-percent=50",
      bin,
      "--version",
    ]);
    expect(own.stderr).toBe("");
  });
});
