import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server for the tests (superuser soc2, trust auth, loopback only). */
    databaseUrl: string;
  }
}

/** Where Debian's (or any) PostgreSQL binaries are: pg_config, else /usr/lib/postgresql/<v>/bin. */
function binDir(): string | undefined {
  const fromConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  if (fromConfig.status === 0 && existsSync(join(fromConfig.stdout.trim(), "initdb")))
    return fromConfig.stdout.trim();
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions)
    if (existsSync(join(root, v, "bin", "initdb"))) return join(root, v, "bin");
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * vitest global setup: starts a private PostgreSQL server for the run (initdb in a temporary
 * folder, loopback only, fsync off: it holds nothing worth keeping) and stops it at the end. The
 * App's scaled mode is tested against it, never against a mock. SOC2_TEST_DATABASE_URL points the
 * tests at a server of your own instead.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.SOC2_TEST_DATABASE_URL;
  if (given) {
    project.provide("databaseUrl", given);
    return () => {};
  }
  const bin = binDir();
  if (!bin) {
    // The PostgreSQL tests fail with this in their message; the others run.
    project.provide("databaseUrl", "");
    return () => {};
  }
  const root = mkdtempSync(join(tmpdir(), "soc2-test-postgres-"));
  const data = join(root, "data");
  const port = await freePort();
  // initdb refuses to run as root: run the server as Debian's postgres user then.
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, command), ...args], {
          stdio: "pipe",
        })
      : execFileSync(join(bin, command), args, { stdio: "pipe" });
  if (asRoot) {
    chmodSync(root, 0o755);
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(root, uid, gid);
  }
  run("initdb", ["-D", data, "-U", "soc2", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    join(root, "server.log"),
    "-w",
    "-o",
    `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start",
  ]);
  project.provide("databaseUrl", `postgres://soc2@127.0.0.1:${port}/postgres`);
  return () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}
