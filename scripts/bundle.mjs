#!/usr/bin/env node
// Bundles the Action into one ESM file, dist/index.js, which action.yml runs on node24. The bundle
// is committed (GitHub runs it without installing anything); check-dist fails when it is stale.
import { build } from "esbuild";

await build({
  entryPoints: ["action/index.ts"],
  outfile: "dist/index.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Some dependencies are CommonJS and call require(); give the ES module a require of its own.
  banner: {
    js: "import { createRequire as __soc2CreateRequire } from 'node:module'; const require = __soc2CreateRequire(import.meta.url);",
  },
  legalComments: "eof",
  logLevel: "warning",
});
