#!/usr/bin/env node
// The package as users get it: `npm pack` (with npm-shrinkwrap.json, the prepack script), served
// by a one-package registry the way the npm registry serves it, `npm install soc2-as-code` into an
// empty folder, then `npx soc2 init`, `validate` and `demo` there. Fails on any npm warning (a
// dependency that asks for a newer Node than `engines` allows, …) and on any development dependency
// installed. Run by .ci/run after the tests; needs lib/ (npm run build) and the npm registry.
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const root = new URL("..", import.meta.url).pathname;

function run(command, args, cwd, { allowFailure = false } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (result.status !== 0 && !allowFailure)
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status} in ${cwd}:\n${result.stdout}\n${result.stderr}`,
    );
  return result;
}

/**
 * Serves the tarball as the npm registry serves a published package (its metadata says
 * `_hasShrinkwrap` when it holds npm-shrinkwrap.json: npm honours a dependency's shrinkwrap only
 * then, never for a tarball installed by path) and sends every other request to `upstream`.
 */
async function serveRegistry(tarball, upstream) {
  const bytes = await readFile(tarball);
  const pkg = JSON.parse(run("tar", ["xzOf", tarball, "package/package.json"], root).stdout);
  const files = run("tar", ["tzf", tarball], root).stdout.split("\n");
  const path = `/${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`;
  const server = createServer((request, response) => {
    if (request.url === `/${pkg.name}`) {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(packument));
    } else if (request.url === path) response.end(bytes);
    else {
      response.writeHead(302, { location: new URL(request.url.slice(1), upstream).href });
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const version = {
    ...pkg,
    _hasShrinkwrap: files.includes("package/npm-shrinkwrap.json"),
    dist: {
      tarball: new URL(path.slice(1), url).href,
      shasum: createHash("sha1").update(bytes).digest("hex"),
      integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
    },
  };
  const packument = {
    name: pkg.name,
    "dist-tags": { latest: pkg.version },
    versions: { [pkg.version]: version },
  };
  return {
    url,
    version,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

if (!existsSync(join(root, "lib/src/cli/main.js")))
  throw new Error("lib/ is missing: run npm run build first");
const work = await mkdtemp(join(tmpdir(), "soc2-package-"));
try {
  // lib/ is already built: packing need not run `prepare` again, only prepack and postpack.
  let packed;
  try {
    run("npm", ["run", "--silent", "prepack"], root);
    packed = run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], root);
  } finally {
    run("npm", ["run", "--silent", "postpack"], root);
  }
  const tarball = join(work, packed.stdout.trim().split("\n").at(-1));
  const upstream = run("npm", ["config", "get", "registry"], root).stdout.trim();
  const registry = await serveRegistry(tarball, upstream);
  const project = join(work, "project");
  try {
    if (!registry.version._hasShrinkwrap) throw new Error("the tarball has no npm-shrinkwrap.json");
    run("mkdir", [project], work);
    await writeFile(
      join(project, "package.json"),
      JSON.stringify({ name: "user-project", private: true }),
    );
    // Not spawnSync: the registry answers from this process.
    const install = await promisify(execFile)(
      "npm",
      ["install", "--no-audit", "--no-fund", "--registry", registry.url, registry.version.name],
      { cwd: project, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 16 * 1024 * 1024 },
    );
    const warnings = `${install.stdout}\n${install.stderr}`
      .split("\n")
      .filter((l) => /^npm warn/i.test(l.trim()));
    if (warnings.length > 0) throw new Error(`npm install warned:\n${warnings.join("\n")}`);
  } finally {
    registry.close();
  }
  const installed = join(project, "node_modules");
  const devInstalled = Object.keys(registry.version.devDependencies ?? {}).filter(
    (name) =>
      existsSync(join(installed, name)) ||
      existsSync(join(installed, registry.version.name, "node_modules", name)),
  );
  if (devInstalled.length > 0)
    throw new Error(`npm installed development dependencies: ${devInstalled.join(", ")}`);
  // npm ls exits 1: content-type 2.x is outside @octokit/request's range (docs/adr/0015-*).
  const contentType = run(
    "npm",
    ["ls", "content-type", "--all", "--parseable", "--long"],
    project,
    {
      allowFailure: true,
    },
  );
  const versions = [...new Set(contentType.stdout.match(/content-type@[^:\s]+/g))];
  console.log(
    `installed ${registry.version.name}@${registry.version.version} from its tarball with its ` +
      `npm-shrinkwrap.json (Node ${process.version}): no npm warning, no development ` +
      `dependency, ${versions.join(", ")}`,
  );
  const npx = (...args) => run("npx", ["--no-install", "soc2", ...args], project);
  console.log(`soc2 ${npx("--version").stdout.trim()}`);
  npx(
    "init",
    "compliance",
    "--categories",
    "security,availability",
    "--organization",
    "Acme Cloud, Inc.",
  );
  const validated = npx("validate", "compliance");
  console.log(`${validated.stdout}${validated.stderr}`.match(/.*file\(s\) checked.*/)?.[0]);
  npx("demo", "--dir", join(project, "demo"));
  console.log(npx("verify", "demo").stdout.trim().split("\n")[0]);
  // The installed worker module: a checking thread that cannot start says so on stderr.
  const threaded = npx("validate", "demo", "--threads", "2");
  if (/checking thread/.test(threaded.stderr))
    throw new Error(`soc2 validate --threads 2 could not start a thread:\n${threaded.stderr}`);
  console.log(`--threads 2: ${threaded.stderr.trim()}`);
  console.log("the packed soc2 initializes, validates and runs the demo");
} finally {
  await rm(work, { recursive: true, force: true });
}
