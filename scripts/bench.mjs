#!/usr/bin/env node
// Benchmarks of the validator on a generated compliance repository with many evidence records.
// Prints absolute figures and ratios against floors (reading the files; parsing them with yaml
// alone), so a regression shows up as a ratio that grows. Run: npm run bench [-- --records 10000]
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { load, CORE_SCHEMA } from "js-yaml";
import { readRepository } from "../lib/src/adapters/read-repository.js";
import { validateRepository } from "../lib/src/core/validate.js";
import { loadAndValidate } from "../lib/src/cli/commands/validate.js";
import { defaultThreads } from "../lib/src/adapters/check-in-threads.js";
import { readFileSync } from "node:fs";
import { writeChainedRepository } from "./bench-evidence.mjs";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "10000" },
    runs: { type: "string", default: "3" },
  },
});
const records = Number(values.records);
// The generated records run from 2025-01-01 to at most 2025-12-13 and carry the facts fixture,
// whose latest timestamp is 2026-05-01, beside this repository's policies: validated as of a fixed
// day after all of them, whatever day the benchmark runs (an earlier day makes every record an
// error, and measures the error path).
const AS_OF = new Date("2030-01-01T00:00:00Z");
const runs = Number(values.runs);
const root = new URL("..", import.meta.url).pathname;

async function time(fn) {
  const samples = [];
  let result;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    result = await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], result };
}

/** Each function run `runs` times in turns; the median wall time of each, and its CPU time. */
async function timeInTurns(fns) {
  const samples = fns.map(() => []);
  for (let r = 0; r < runs; r++)
    for (const [i, fn] of fns.entries()) {
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      await fn();
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpuBefore);
      samples[i].push({ ms, cpuMs: (used.user + used.system) / 1000 });
    }
  return samples.map((s) => s.sort((a, b) => a.ms - b.ms)[Math.floor(s.length / 2)]);
}

const dir = await mkdtemp(join(tmpdir(), "soc2-bench-"));
try {
  // Chained change records with facts snapshots, as the App writes them (records the App claims
  // but that are not chained are errors for soc2 validate).
  await writeChainedRepository(dir, records);

  // What `soc2 validate` does (read, check and keep a summary of each record, streamed) against
  // the floor: read the same files and parse the YAML ones with js-yaml, nothing else.
  // Taken in turns, so that a busy minute on a shared machine weighs on all three alike; wall
  // and CPU time (the process's, worker threads included). First, while this process holds
  // little: the benchmarks below keep every file and a whole validation in memory, and a large
  // heap slows the garbage collection of whatever runs on this thread, not in a worker.
  const paths = (await readRepository(dir)).map((f) => f.path);
  const [readAndParse, oneThread, cliValidate] = await timeInTurns([
    async () => {
      for (const path of paths) {
        const bytes = readFileSync(join(dir, path));
        if (path.endsWith(".yml")) load(new TextDecoder().decode(bytes), { schema: CORE_SCHEMA });
      }
    },
    () => loadAndValidate(dir, AS_OF, { retain: "summary", threads: 1 }),
    () => loadAndValidate(dir, AS_OF, { retain: "summary" }),
  ]);

  const read = await time(() => readRepository(dir));
  const files = read.result;
  const parseOnly = await time(async () => {
    for (const f of files)
      if (f.bytes && f.path.endsWith(".yml")) parse(new TextDecoder().decode(f.bytes));
  });
  const fastParseOnly = await time(async () => {
    for (const f of files)
      if (f.bytes && f.path.endsWith(".yml"))
        load(new TextDecoder().decode(f.bytes), { schema: CORE_SCHEMA });
  });
  const rssBefore = process.memoryUsage().rss;
  const validate = await time(() => validateRepository(files, { now: AS_OF }));
  const rssAfter = process.memoryUsage().rss;
  const errors = validate.result.diagnostics.filter((d) => d.severity === "error").length;

  // A pull request's check reads the program, controls, policies and only the records it adds.
  const added = files.find((f) => f.path.startsWith("evidence/"))?.path;
  const prCheck = await time(async () => {
    const subset = await readRepository(dir, { evidence: [added] });
    return validateRepository(subset, { now: AS_OF });
  });
  const full = await time(async () =>
    validateRepository(await readRepository(dir), { now: AS_OF }),
  );

  // Cold start of the bundled Action (an event it skips: the cost of loading the bundle).
  const eventPath = join(dir, "event.json");
  await writeFile(eventPath, "{}");
  const coldStart = await time(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(root, "dist/index.js")], {
          env: {
            PATH: process.env.PATH,
            GITHUB_EVENT_NAME: "push",
            GITHUB_EVENT_PATH: eventPath,
            GITHUB_REPOSITORY: "a/b",
            INPUT_TOKEN: "x",
          },
          stdio: "ignore",
        });
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
      }),
  );
  const nodeFloor = await time(
    () =>
      new Promise((resolve) =>
        spawn(process.execPath, ["-e", ""], { stdio: "ignore" }).on("close", resolve),
      ),
  );

  const perFile = (ms) => `${((ms * 1000) / files.length).toFixed(0)} µs/file`;
  console.log(
    `soc2-as-code validator benchmark (Node ${process.version}, ${files.length} files, ${records} evidence records, median of ${runs})`,
  );
  console.log(
    `  read files (floor)          ${read.ms.toFixed(0).padStart(7)} ms  ${perFile(read.ms)}`,
  );
  console.log(
    `  yaml.parse alone (floor)    ${parseOnly.ms.toFixed(0).padStart(7)} ms  ${perFile(parseOnly.ms)}`,
  );
  console.log(
    `  js-yaml load alone (floor)  ${fastParseOnly.ms.toFixed(0).padStart(7)} ms  ${perFile(fastParseOnly.ms)}`,
  );
  console.log(
    `  validateRepository          ${validate.ms.toFixed(0).padStart(7)} ms  ${perFile(validate.ms)}  (${errors} errors)`,
  );
  console.log(`  ratio validate / yaml.parse ${(validate.ms / parseOnly.ms).toFixed(2)}x`);
  console.log(`  ratio validate / js-yaml    ${(validate.ms / fastParseOnly.ms).toFixed(2)}x`);
  console.log(`  ratio validate / read       ${(validate.ms / read.ms).toFixed(2)}x`);
  console.log(
    `  resident memory             ${(rssAfter / 2 ** 20).toFixed(0)} MiB (${((rssAfter - rssBefore) / 2 ** 20).toFixed(0)} MiB during validation)`,
  );
  console.log(
    `  read + js-yaml (floor)      ${readAndParse.ms.toFixed(0).padStart(7)} ms  ${perFile(readAndParse.ms)}`,
  );
  const cpu = (t) => `${t.cpuMs.toFixed(0).padStart(7)} ms CPU`;
  console.log(`    (CPU time, same runs)     ${cpu(readAndParse)}`);
  console.log(
    `  soc2 validate, one thread   ${oneThread.ms.toFixed(0).padStart(7)} ms  ${perFile(oneThread.ms)}  ${cpu(oneThread)}`,
  );
  console.log(
    `  soc2 validate (${defaultThreads(records)} threads)    ${cliValidate.ms.toFixed(0).padStart(7)} ms  ${perFile(cliValidate.ms)}  ${cpu(cliValidate)}`,
  );
  console.log(
    `  ratio soc2 validate / read + js-yaml  ${(cliValidate.ms / readAndParse.ms).toFixed(2)}x wall (goal ≤ 1.5x), ${(cliValidate.cpuMs / readAndParse.cpuMs).toFixed(2)}x CPU; one thread ${(oneThread.ms / readAndParse.ms).toFixed(2)}x`,
  );
  console.log(
    `  pull-request check (read + validate, 1 added record) ${prCheck.ms.toFixed(0).padStart(5)} ms`,
  );
  console.log(
    `  full validation (read + validate)                     ${full.ms.toFixed(0).padStart(5)} ms`,
  );
  console.log(
    `  ratio pull-request check / full validation  ${(prCheck.ms / full.ms).toFixed(4)}x`,
  );
  console.log(
    `  Action cold start (dist/index.js)           ${coldStart.ms.toFixed(0).padStart(5)} ms (node -e '' floor ${nodeFloor.ms.toFixed(0)} ms, ratio ${(coldStart.ms / nodeFloor.ms).toFixed(2)}x)`,
  );
  if (errors > 0) {
    console.error(validate.result.diagnostics.slice(0, 5));
    process.exitCode = 1;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
