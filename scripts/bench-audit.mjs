#!/usr/bin/env node
// The audit commands on generated evidence repositories of two sizes, ten times apart: CPU time,
// peak resident memory, and the growth from the small to the large one (linear code grows about
// 10x; issue 10's goal is at most 11x). Each command runs in its own process, as an auditor runs it.
// Sizes: 2k and 20k records by default; BENCH_SCALE=100k gives 10k and 100k. The repositories are
// generated once into the temporary folder and reused (delete soc2-bench-2025-* to regenerate).
// Run: npm run bench, or node scripts/bench-audit.mjs (after npm run build); SOC2_BENCH_BIN=<path of
// another checkout's bin/soc2.js> measures that build on the same repositories (before / after).
// BENCH_ONLY="portal,population xlsx" runs only the commands named (a comma-separated list).
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureNode } from "./bench-child.mjs";
import { writeChainedRepository } from "./bench-evidence.mjs";

const SCALES = { default: [2_000, 20_000], "100k": [10_000, 100_000], "200k": [20_000, 200_000] };
const sizes = SCALES[process.env.BENCH_SCALE ?? "default"];
if (!sizes) throw new Error(`BENCH_SCALE must be one of ${Object.keys(SCALES).join(", ")}`);
const bin = process.env.SOC2_BENCH_BIN ?? new URL("../bin/soc2.js", import.meta.url).pathname;

/** The generated repository of `records` records, made once. */
async function repository(records) {
  const dir = join(tmpdir(), `soc2-bench-2025-${records}`);
  const done = join(dir, ".generated");
  if (existsSync(done)) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  await writeChainedRepository(dir, records);
  await writeFile(done, "");
  console.log(
    `  generated ${records} records in ${((performance.now() - started) / 1000).toFixed(1)} s: ${dir}`,
  );
  return dir;
}

const out = (dir, name) => join(dir, `.bench-${name}`);
const population = (dir, format) =>
  ["population", dir, "--from", "2025-01-01", "--to", "2025-12-31", "--format", format].concat([
    "--out",
    out(dir, `population.${format}`),
  ]);
const COMMANDS = [
  ["validate", (dir) => ["validate", dir]],
  ["verify", (dir) => ["verify", dir]],
  ["readiness", (dir) => ["readiness", dir, "--as-of", "2025-12-31"]],
  ["population json", (dir) => population(dir, "json")],
  ["population csv", (dir) => population(dir, "csv")],
  ["population xlsx", (dir) => population(dir, "xlsx")],
  ["portal", (dir) => ["portal", dir, "--out", out(dir, "site"), "--as-of", "2025-12-31"]],
  // Last: it writes the indexes into the repository (the same files on every run).
  ["index", (dir) => ["index", dir]],
];

console.log(
  `soc2 audit commands (Node ${process.version}; ${sizes[0]} and ${sizes[1]} chained change records with facts snapshots)`,
);
const [small, large] = [await repository(sizes[0]), await repository(sizes[1])];
console.log(
  `  ${"command".padEnd(16)} ${`${sizes[0]}`.padStart(9)} ${`${sizes[1]}`.padStart(9)}  growth  peak RSS (small / large)`,
);
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
for (const [name, args] of COMMANDS.filter(([name]) => !only || only.includes(name))) {
  const [a, b] = [
    await measureNode([bin, ...args(small)]),
    await measureNode([bin, ...args(large)]),
  ];
  for (const m of [a, b])
    if (m.code !== 0 && m.code !== 1) throw new Error(`soc2 ${name} exited ${m.code}: ${m.stderr}`);
  console.log(
    `  ${name.padEnd(16)} ${(a.cpuMs / 1000).toFixed(2).padStart(7)} s ${(b.cpuMs / 1000).toFixed(2).padStart(7)} s ${(b.cpuMs / a.cpuMs).toFixed(1).padStart(6)}x  ${a.maxRssMiB.toFixed(0)} / ${b.maxRssMiB.toFixed(0)} MiB`,
  );
}

// The portal's goal: no page over 2 MB, whatever the size of the repository.
if (!only || only.includes("portal")) {
  const site = out(large, "site");
  let largest = { path: "", size: 0 };
  let pages = 0;
  for (const entry of await readdir(site, { recursive: true, withFileTypes: true }).catch(
    () => [],
  )) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    pages++;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const { size } = await stat(path);
    if (size > largest.size) largest = { path, size };
  }
  console.log(
    `  portal at ${sizes[1]}: ${pages} pages, the largest ${(largest.size / 1024).toFixed(0)} KiB (${largest.path.slice(site.length + 1)})`,
  );
}
