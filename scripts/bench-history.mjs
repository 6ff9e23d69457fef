#!/usr/bin/env node
// `soc2 population --history` on generated repositories of two sizes, ten times apart: a product
// repository whose main branch has one squash-merge commit per change (made with git fast-import)
// and an evidence repository recording each of them. Prints CPU time, growth and peak resident
// memory, as bench-audit.mjs does for the other audit commands (issue 10: ≤ 11× growth, < 512 MB
// at 200k records). Sizes: 2k and 20k by default; BENCH_SCALE=100k or 200k as in bench-audit.mjs.
// The repositories are generated once into the temporary folder (soc2-bench-history-*) and reused.
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureNode } from "./bench-child.mjs";
import { changeTime, writeChainedRepository } from "./bench-evidence.mjs";

const SCALES = { default: [2_000, 20_000], "100k": [10_000, 100_000], "200k": [20_000, 200_000] };
const sizes = SCALES[process.env.BENCH_SCALE ?? "default"];
if (!sizes) throw new Error(`BENCH_SCALE must be one of ${Object.keys(SCALES).join(", ")}`);
const bin = process.env.SOC2_BENCH_BIN ?? new URL("../bin/soc2.js", import.meta.url).pathname;

/** A product repository whose main has `changes` commits, one per change; their SHAs in order. */
async function productRepository(dir, changes) {
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  const importer = spawn("git", ["fast-import", "--quiet"], {
    cwd: dir,
    stdio: ["pipe", "inherit", "inherit"],
  });
  const done = new Promise((resolve, reject) =>
    importer.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))),
  );
  const write = (text) =>
    importer.stdin.write(text) ? undefined : new Promise((r) => importer.stdin.once("drain", r));
  for (let k = 0; k < changes; k++) {
    const seconds = Date.parse(changeTime(k)) / 1000;
    const message = `PAY-${k}: change ${k} (#${k + 1})\n`;
    const file = `change ${k}\n`;
    await write(
      `commit refs/heads/main\nmark :${k + 1}\ncommitter Dev <dev${k % 7}@example.com> ${seconds} +0000\n` +
        `data ${Buffer.byteLength(message)}\n${message}` +
        (k > 0 ? `from :${k}\n` : "") +
        `M 644 inline CHANGELOG\ndata ${Buffer.byteLength(file)}\n${file}\n`,
    );
  }
  importer.stdin.end();
  await done;
  execFileSync("git", ["checkout", "-q", "main"], { cwd: dir });
  return execFileSync("git", ["rev-list", "--reverse", "main"], {
    cwd: dir,
    maxBuffer: 1 << 30,
  })
    .toString()
    .trim()
    .split("\n");
}

/** The evidence and product repositories of `changes` changes, made once. */
async function repositories(changes) {
  const dir = join(tmpdir(), `soc2-bench-history-${changes}`);
  const [evidence, product] = [join(dir, "evidence-repo"), join(dir, "platform")];
  if (existsSync(join(dir, ".generated"))) return { evidence, product };
  await rm(dir, { recursive: true, force: true });
  await mkdir(evidence, { recursive: true });
  const started = performance.now();
  const mergedShas = await productRepository(product, changes);
  await writeChainedRepository(evidence, changes, { mergedShas });
  await writeFile(join(dir, ".generated"), "");
  console.log(
    `  generated ${changes} changes in ${((performance.now() - started) / 1000).toFixed(1)} s: ${dir}`,
  );
  return { evidence, product };
}

console.log(
  `soc2 population --history (Node ${process.version}; ${sizes[0]} and ${sizes[1]} changes, each a commit on main and a chained change record)`,
);
const runs = [];
for (const size of sizes) {
  const { evidence, product } = await repositories(size);
  const run = await measureNode([
    bin,
    "population",
    evidence,
    "--from",
    "2025-01-01",
    "--to",
    "2025-12-31",
    "--format",
    "json",
    "--out",
    join(evidence, "..", "population.json"),
    "--history",
    `acme-cloud/platform=${product}`,
  ]);
  // 0: every commit is accounted for; anything else means the generated data or the command is wrong.
  if (run.code !== 0)
    throw new Error(`soc2 population --history exited ${run.code}: ${run.stderr}`);
  runs.push(run);
}
const [a, b] = runs;
console.log(
  `  ${"population --history".padEnd(20)} ${(a.cpuMs / 1000).toFixed(2).padStart(7)} s ${(b.cpuMs / 1000).toFixed(2).padStart(7)} s ${(b.cpuMs / a.cpuMs).toFixed(1).padStart(6)}x  ${a.maxRssMiB.toFixed(0)} / ${b.maxRssMiB.toFixed(0)} MiB`,
);
