import { spawn, execFileSync } from "node:child_process";
import { generateKeyPairSync, createHmac } from "node:crypto";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { freshDatabase } from "../helpers/database.js";
import { example } from "./support.js";

// The built App as an operator runs it (`npm start`), stopped the two ways production stops it:
// SIGTERM (a deploy) and SIGKILL (a crash, the OOM killer) right after a burst of deliveries.
// Whatever was acknowledged is recorded, exactly once, after the restart.

const main = new URL("../../lib/app/main.js", import.meta.url).pathname;
const SECRET = "a-webhook-secret-for-shutdown-tests";
const KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

const alive = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  for (const child of alive) child.kill("SIGKILL");
  alive.clear();
});

function startApp(env: Record<string, string>) {
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_OPTIONS: process.env.NODE_OPTIONS ?? "",
      SOC2_TEST_CLOCK: process.env.SOC2_TEST_CLOCK ?? "",
      SOC2_TEST_CLOCK_ORIGIN: process.env.SOC2_TEST_CLOCK_ORIGIN ?? "",
      APP_ID: "1",
      PRIVATE_KEY: KEY,
      WEBHOOK_SECRET: SECRET,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      DELIVERY_LEASE_MS: "3000",
      // No GitHub here to list failed deliveries from.
      REDELIVERY_INTERVAL_MS: "0",
      ...env,
    },
  });
  alive.add(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => {
      alive.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /deliveries to (http:\/\/\S+?)[,\s]/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on("data", check);
    child.stderr!.on("data", check);
    void exited.then((code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  return { child, listening, exited, output: () => output };
}

async function burst(url: string, count: number, prefix: string): Promise<number[]> {
  const payload = example("pull_request_review", "submitted");
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const body = JSON.stringify({ ...payload, review: { ...payload.review, id: 9000 + i } });
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request_review",
          "x-github-delivery": `${prefix}-${i}`,
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
}

function recordsIn(dir: string): string[] {
  try {
    return execFileSync("git", ["-C", dir, "ls-files", "evidence/reviews"], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function waitFor(what: () => boolean, ms: number): Promise<void> {
  const start = performance.now();
  while (!what()) {
    if (performance.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The git store writes about three records a second here, so the bursts are sized to keep the
// run short: the 64 deliveries for SIGKILL on the journal (the hard case), fewer elsewhere.
const cases = [
  ["the embedded journal", "SIGTERM", 32],
  ["the embedded journal", "SIGKILL", 64],
  ["PostgreSQL", "SIGTERM", 12],
  ["PostgreSQL", "SIGKILL", 12],
] as const;

async function queueEnv(
  name: (typeof cases)[number][0],
  dir: string,
): Promise<Record<string, string>> {
  if (name === "PostgreSQL") return { DATABASE_URL: (await freshDatabase()).url };
  return { DELIVERY_QUEUE_DIR: join(dir, "deliveries") };
}

describe("stopping the App", () => {
  it.each(cases)(
    "on %s loses nothing it acknowledged when it gets %s right after a burst of %i deliveries",
    async (name, signal, count) => {
      const dir = await tempDir("soc2-shutdown-");
      const evidence = join(dir, "evidence-repo");
      const env = { EVIDENCE_GIT_DIR: evidence, ...(await queueEnv(name, dir)) };
      const first = startApp(env);
      const statuses = await burst(await first.listening, count, `burst-${signal.toLowerCase()}`);
      expect(statuses.every((s) => s === 202)).toBe(true);
      first.child.kill(signal);
      expect(await first.exited).toBe(signal === "SIGTERM" ? 0 : "SIGKILL");
      if (signal === "SIGTERM") expect(first.output()).toContain("soc2: SIGTERM: stopping");
      const recordedBefore = recordsIn(evidence).length;

      const second = startApp(env);
      await second.listening;
      await waitFor(() => recordsIn(evidence).length >= count, 60_000);
      // Give a duplicate the time to appear, were one to be written.
      await new Promise((r) => setTimeout(r, 300));
      const records = recordsIn(evidence);
      expect(records).toHaveLength(count);
      expect(new Set(records.map((r) => /\/(\d+)-submitted-/.exec(r)?.[1])).size).toBe(count);
      expect(recordedBefore).toBeLessThanOrEqual(count);
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
      expect(first.output() + second.output()).not.toContain(SECRET);
    },
    120_000,
  );
});
