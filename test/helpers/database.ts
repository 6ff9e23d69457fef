import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/**
 * A new, empty database on the test run's PostgreSQL server (test/support/postgres-server.ts),
 * and a function that drops it.
 */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = inject("databaseUrl");
  if (!server)
    throw new Error(
      "no PostgreSQL server for the tests: install Debian's postgresql package (npm test does it when run as root with apt-get), or set SOC2_TEST_DATABASE_URL",
    );
  const name = `soc2_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = server.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
