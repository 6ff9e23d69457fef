#!/usr/bin/env node
// Runs before `npm test`: the App's scaled mode is tested against a real PostgreSQL server, which
// the test run starts itself from Debian's postgresql package (test/support/postgres-server.ts).
// Installs the package once when missing and allowed (root with apt-get); otherwise says how.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const hasServer = () => {
  if (spawnSync("pg_config", ["--bindir"]).status === 0) return true;
  const root = "/usr/lib/postgresql";
  return existsSync(root) && readdirSync(root).some((v) => existsSync(`${root}/${v}/bin/initdb`));
};

if (!process.env.SOC2_TEST_DATABASE_URL && !hasServer()) {
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("Installing Debian's postgresql for the App's scaled-mode tests (once)…");
    execFileSync(
      "sh",
      [
        "-c",
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null",
      ],
      { stdio: "inherit" },
    );
  } else {
    console.warn(
      "PostgreSQL is missing: the App's scaled-mode tests will fail. Install it (sudo apt-get install postgresql) or set SOC2_TEST_DATABASE_URL to a server of yours.",
    );
  }
}
