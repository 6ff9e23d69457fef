import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signature } from "../../src/dev/demo/deliver.js";
import { tempDir } from "../helpers/temp-dir.js";

const main = new URL("../../lib/app/main.js", import.meta.url).pathname;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGTERM");
});

function start(cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [main], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  const listening = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /deliveries to (http:\/\/\S+?)[,\s]/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on("data", check);
    child.stderr!.on("data", check);
    void exited.then((code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  listening.catch(() => undefined); // awaited only by the tests that expect the server to start
  return { listening, exited, output: () => output };
}

describe("npm start (the built App, as an operator runs it)", () => {
  it("answers an unsigned or forged delivery with 400 and writes nothing", async () => {
    const cwd = await tempDir("soc2-start-");
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const evidence = join(cwd, "evidence-repo");
    const app = start(cwd, {
      APP_ID: "1",
      REDELIVERY_INTERVAL_MS: "0", // no GitHub here to list failed deliveries from
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: "the-real-secret",
      HOST: "127.0.0.1",
      PORT: "0",
      EVIDENCE_GIT_DIR: evidence,
      LOG_LEVEL: "info",
    });
    const url = await app.listening;
    const body = JSON.stringify({
      action: "submitted",
      review: { id: 1 },
      repository: { full_name: "acme/web" },
      installation: { id: 1 },
    });
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request_review",
          "x-github-delivery": "d-1",
          ...headers,
        },
      });
    expect((await post({})).status).toBe(400);
    expect(
      (await post({ "x-hub-signature-256": signature("a-guessed-secret", body) })).status,
    ).toBe(400);
    expect(existsSync(join(evidence, "evidence"))).toBe(false);
    expect(app.output()).not.toContain("the-real-secret");
    expect(app.output()).not.toContain("PRIVATE KEY");
  });

  it("refuses to start in production without a webhook secret, in one line", async () => {
    const cwd = await tempDir("soc2-start-");
    const app = start(cwd, {
      NODE_ENV: "production",
      APP_ID: "1",
      REDELIVERY_INTERVAL_MS: "0", // no GitHub here to list failed deliveries from
      PRIVATE_KEY: "unused",
      HOST: "127.0.0.1",
      PORT: "0",
    });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/^soc2 app: .*WEBHOOK_SECRET/m);
    expect(app.output()).not.toMatch(/\n\s+at /);
  });
});
