#!/usr/bin/env node
// The App's intake: how many signed deliveries a second it acknowledges on loopback, each stored
// durably before the answer (fsync'd journal; PostgreSQL when SOC2_BENCH_DATABASE_URL is set),
// against a floor: a node:http server that answers 202 without storing anything.
// Run: npm run bench (it runs after the validator's benchmark) or node scripts/bench-intake.mjs
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startServer } from "../lib/app/server.js";

const { values } = parseArgs({
  options: {
    deliveries: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "32" },
  },
});
const count = Number(values.deliveries);
const concurrency = Number(values.concurrency);
const secret = "bench-secret";
const body = JSON.stringify({
  action: "opened",
  issue: { number: 1, title: "x".repeat(2000) },
  repository: { full_name: "acme/web", owner: { login: "acme" }, name: "web" },
  installation: { id: 1 },
});
const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

async function blast(url, prefix) {
  let next = 0;
  const started = performance.now();
  const statuses = new Map();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "issues",
            "x-github-delivery": `${prefix}-${i}`,
            "x-hub-signature-256": signature,
          },
          body,
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, statuses: Object.fromEntries(statuses) };
}

async function floor() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(202).end("queued\n"));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const result = await blast(`http://127.0.0.1:${server.address().port}/`, "floor");
  server.close();
  return result;
}

async function app(env) {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const running = await startServer({
    env: {
      NODE_ENV: "test",
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      ...env,
    },
    store: { append: async () => ({ status: "exists", path: "x" }) },
  });
  const result = await blast(running.webhookUrl, `d-${Date.now()}`);
  const settle = performance.now();
  await running.settled();
  result.handledPerSecond =
    count / ((performance.now() - settle) / 1000 + count / result.perSecond);
  await running.close();
  return result;
}

const base = await floor();
console.log(
  `App intake, ${count} signed deliveries of ${body.length} bytes, ${concurrency} at once, loopback`,
);
console.log(`  floor (answers 202, stores nothing)  ${base.perSecond.toFixed(0)} deliveries/s`);
const dir = await mkdtemp(join(tmpdir(), "soc2-bench-queue-"));
try {
  const journal = await app({ DELIVERY_QUEUE_DIR: join(dir, "deliveries") });
  console.log(
    `  journal (fsync'd before the answer)  ${journal.perSecond.toFixed(0)} acknowledged/s, handled ${journal.handledPerSecond.toFixed(0)}/s  ${JSON.stringify(journal.statuses)}`,
  );
  console.log(
    `  ratio journal / floor                ${(journal.perSecond / base.perSecond).toFixed(2)}x`,
  );
  if (process.env.SOC2_BENCH_DATABASE_URL) {
    const pg = await app({ DATABASE_URL: process.env.SOC2_BENCH_DATABASE_URL });
    console.log(
      `  PostgreSQL (committed before)        ${pg.perSecond.toFixed(0)} acknowledged/s, handled ${pg.handledPerSecond.toFixed(0)}/s  ${JSON.stringify(pg.statuses)}`,
    );
    console.log(
      `  ratio PostgreSQL / floor             ${(pg.perSecond / base.perSecond).toFixed(2)}x`,
    );
  } else console.log("  PostgreSQL: set SOC2_BENCH_DATABASE_URL=postgres://… to measure it too");
} finally {
  await rm(dir, { recursive: true, force: true });
}
