#!/usr/bin/env node
// Writes npm-shrinkwrap.json, the production part of package-lock.json, for `npm pack` and
// `npm publish` (the prepack script); `--remove` deletes it again (postpack). A user's npm installs
// the tree it locks (content-type 2.x through this repository's `overrides`, which npm applies to
// no installing user) instead of resolving it anew. It is never committed: npm ci prefers it to
// package-lock.json, and it has no development dependencies (docs/adr/0015-*).
import { readFile, rm, writeFile } from "node:fs/promises";

const root = new URL("..", import.meta.url);
const target = new URL("npm-shrinkwrap.json", root);

if (process.argv.includes("--remove")) {
  await rm(target, { force: true });
} else {
  const lock = JSON.parse(await readFile(new URL("package-lock.json", root), "utf8"));
  const packages = Object.entries(lock.packages).filter(([, entry]) => entry.dev !== true);
  const [, rootEntry] = packages.find(([path]) => path === "");
  delete rootEntry.devDependencies;
  await writeFile(
    target,
    `${JSON.stringify({ ...lock, packages: Object.fromEntries(packages) }, null, 2)}\n`,
  );
}
