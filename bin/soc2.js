#!/usr/bin/env node
// Thin launcher: the CLI is compiled to lib/ by `npm run build` (run by `npm ci` through `prepare`).
import { setFlagsFromString } from "node:v8";

// The audit commands read a decade of evidence in one pass, keeping a little of each record. By
// default V8 lets the heap grow to about twice what is alive before it collects the old
// generation, so the process would take twice the memory it needs; growing it by 30% at a time
// keeps the peak near what is alive, at no measurable cost in time (docs/adr/0016). Set before
// the CLI loads; a --heap-growing-percent given to node itself wins.
if (!process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent")))
  setFlagsFromString("--heap-growing-percent=30");

const { main } = await import("../lib/src/cli/main.js");

// A reader that stops early (`soc2 criteria | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
