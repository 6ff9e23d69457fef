#!/usr/bin/env node
// Start-up of the CLI against the floor of starting Node at all (`node -e ''`): `soc2 --version`
// loads no command, `soc2 evaluate <facts.json>` loads one (the auditor re-running verdicts).
// Goals (issue 10): a command starts within 2x the floor; evaluate of one facts file <= 0.3 s.
// Run: npm run bench, or node scripts/bench-start.mjs [--runs 11] (after npm run build).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureNode, medianOf } from "./bench-child.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "11" } } });
const runs = Number(values.runs);
const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "bin/soc2.js");
const fixtures = join(root, "test/core/change-management/fixtures");

const cases = [
  ["node -e '' (floor)", ["-e", ""]],
  ["soc2 --version", [bin, "--version"]],
  ["soc2 --help", [bin, "--help"]],
  [
    "soc2 evaluate <facts.json>",
    [bin, "evaluate", join(fixtures, "approved.json"), "--config", join(fixtures, "repo/soc2.yml")],
  ],
];

console.log(
  `soc2 CLI start-up (Node ${process.version}, median of ${runs}; wall ms, CPU ms, peak RSS)`,
);
let floor;
for (const [name, args] of cases) {
  const m = await medianOf(runs, () => measureNode(args));
  if (m.code !== 0) throw new Error(`${name} exited ${m.code}: ${m.stderr}`);
  floor ??= m;
  const ratio =
    floor === m
      ? ""
      : `  ratio ${(m.wallMs / floor.wallMs).toFixed(2)}x wall, ${(m.cpuMs / floor.cpuMs).toFixed(2)}x CPU`;
  console.log(
    `  ${name.padEnd(28)} ${m.wallMs.toFixed(0).padStart(6)} ms ${m.cpuMs.toFixed(0).padStart(6)} ms CPU ${m.maxRssMiB.toFixed(0).padStart(4)} MiB${ratio}`,
  );
}
