import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../app/config.js";
import { serve } from "../../app/serve.js";
import { startServer, type RunningApp } from "../../app/server.js";
import { TEST_NOW } from "../helpers/clock.js";
import { tempDir } from "../helpers/temp-dir.js";
import { FakeStore } from "./fake-store.js";
import { appKey, captureLog, example, TestOctokit } from "./support.js";

// The real webhook server (Probot's middleware on node:http, on loopback): signatures are checked
// before any handler runs. The deliveries used here need no GitHub API call.

const SECRET = "a-webhook-secret-for-tests";
const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  APP_ID: "123",
  PRIVATE_KEY: appKey(),
  WEBHOOK_SECRET: SECRET,
  HOST: "127.0.0.1",
  PORT: "0",
  // No GitHub here to list failed deliveries from.
  REDELIVERY_INTERVAL_MS: "0",
  ...over,
});

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Settings for a test server: its own delivery journal, quick retries. */
async function testEnv(over: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  return env({
    DELIVERY_QUEUE_DIR: join(await tempDir("soc2-app-queue-"), "deliveries"),
    DELIVERY_RETRY_BASE_MS: "5",
    DELIVERY_RETRY_MAX_MS: "20",
    ...over,
  });
}

async function start(store: FakeStore, over: NodeJS.ProcessEnv = {}) {
  const logs = captureLog();
  running = await startServer({
    env: await testEnv(over),
    store,
    log: logs.log,
    Octokit: TestOctokit,
  });
  return { running, logs };
}

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

function deliver(
  url: string,
  payload: object,
  options: { id?: string; signature?: string | null; event?: string } = {},
) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": options.event ?? "pull_request_review",
    "x-github-delivery": options.id ?? "5e0a4b3c-0000-4000-8000-000000000001",
  };
  const signature = options.signature === undefined ? sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return fetch(url, { method: "POST", headers, body });
}

describe("the webhook server", () => {
  it("answers an unsigned or forged delivery with 400, queues nothing and logs no payload", async () => {
    const store = new FakeStore();
    const { running, logs } = await start(store);
    const payload = example("pull_request_review", "submitted");
    payload.pull_request.title = "leak ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
    const unsigned = await deliver(running.webhookUrl, payload, { signature: null });
    expect(unsigned.status).toBe(400);
    const forged = await deliver(running.webhookUrl, payload, { signature: sign("{}", "guess") });
    expect(forged.status).toBe(400);
    const tampered = await deliver(running.webhookUrl, payload, {
      signature: sign(JSON.stringify({ ...payload, action: "dismissed" })),
    });
    expect(tampered.status).toBe(400);
    await running.settled();
    expect(store.calls).toEqual([]);
    expect(await running.queue.list({})).toEqual([]);
    expect(logs.lines.filter((l) => l.outcome === "rejected")).toHaveLength(3);
    expect(logs.text()).not.toContain("ghp_");
    expect(logs.text()).not.toContain(payload.pull_request.html_url);
  });

  it("queues a signed delivery before answering, and records it once however often it comes", async () => {
    const store = new FakeStore();
    const { running, logs } = await start(store);
    const payload = example("pull_request_review", "submitted");
    const answers = await Promise.all(
      [1, 2, 3].map(() => deliver(running.webhookUrl, payload, { id: "same-delivery" })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 202]);
    await running.settled();
    expect(store.records.size).toBe(1);
    expect([...store.records.keys()][0]).toMatch(/-submitted-same-delivery$/);
    const handled = logs.lines.filter((l) => l.outcome === "handled");
    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({ deliveryId: "same-delivery", event: "pull_request_review" });
    expect(String(handled[0]!.msg)).toMatch(/recorded reviews\/codertocat\/hello-world\/pr-2\//);
    // A redelivery after it was handled changes nothing.
    expect((await deliver(running.webhookUrl, payload, { id: "same-delivery" })).status).toBe(200);
    await running.settled();
    expect(store.calls).toHaveLength(1);
  });

  it("retries a delivery the store fails, then dead-letters it; a replay records it", async () => {
    const store = new FakeStore();
    store.failWith = new Error("the evidence repository is unreachable");
    const { running, logs } = await start(store, { DELIVERY_MAX_ATTEMPTS: "3" });
    const answer = await deliver(running.webhookUrl, example("pull_request_review", "submitted"), {
      id: "failing-delivery",
    });
    expect(answer.status).toBe(202);
    await running.settled();
    expect(store.calls).toHaveLength(3);
    expect(logs.lines.filter((l) => l.outcome === "retry").map((l) => l.attempt)).toEqual([1, 2]);
    const [dead] = await running.queue.list({ state: "dead" });
    expect(dead).toMatchObject({ id: "failing-delivery", attempts: 3, state: "dead" });
    expect(dead!.lastError).toMatch(
      /gave up after 3 attempts: .*the evidence repository is unreachable/,
    );

    store.failWith = undefined;
    expect(await running.queue.replay("failing-delivery", TEST_NOW)).toBe("requeued");
    await running.settled();
    expect(store.records.size).toBe(1);
    expect((await running.queue.list({ state: "done" })).map((d) => d.id)).toEqual([
      "failing-delivery",
    ]);
  });

  it("dead-letters a signed but malformed payload with its reason, and records nothing", async () => {
    const store = new FakeStore();
    const { running } = await start(store);
    const push = example("push");
    delete (push as { after?: string }).after;
    expect(
      (await deliver(running.webhookUrl, push, { id: "push-without-after", event: "push" })).status,
    ).toBe(202);
    expect(
      (await deliver(running.webhookUrl, "not an object" as unknown as object, { id: "a-string" }))
        .status,
    ).toBe(202);
    await running.settled();
    expect(store.calls).toEqual([]);
    const dead = await running.queue.list({ state: "dead" });
    expect(dead.map((d) => [d.id, d.attempts, d.lastError])).toEqual([
      ["push-without-after", 1, "malformed: push payload: after is missing"],
      ["a-string", 1, "malformed: the body is not a JSON object"],
    ]);
  });

  it("refuses a body over GitHub's 25 MB cap without reading it all, and stays up", async () => {
    const store = new FakeStore();
    const { running } = await start(store);
    const huge = await fetch(running.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "huge-delivery",
        "x-hub-signature-256": sign("x"),
      },
      body: new Uint8Array(26 * 1024 * 1024).fill(0x20),
    }).then(
      (r) => r.status,
      () => "connection closed",
    );
    expect([413, "connection closed"]).toContain(huge);
    expect(await running.queue.list({})).toEqual([]);
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });

  it("serves the webhook path from WEBHOOK_PATH, a health check, and 404 elsewhere", async () => {
    const { running } = await start(new FakeStore(), { WEBHOOK_PATH: "/hooks/soc2" });
    expect(running.webhookUrl).toBe(`${running.url}/hooks/soc2`);
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
    expect((await fetch(`${running.url}/api/github/webhooks`, { method: "POST" })).status).toBe(
      404,
    );
    const answer = await deliver(running.webhookUrl, example("pull_request_review", "submitted"));
    expect(answer.status).toBe(202);
  });
});

describe("the default store", () => {
  it("commits records to a local git repository (EVIDENCE_GIT_DIR) when no other store is set", async () => {
    const dir = join(await tempDir("soc2-app-git-"), "evidence-repo");
    running = await startServer({
      env: await testEnv({ EVIDENCE_GIT_DIR: dir }),
      log: captureLog().log,
      Octokit: TestOctokit,
    });
    const payload = example("pull_request_review", "submitted");
    for (const status of [202, 200]) {
      const answer = await deliver(running.webhookUrl, payload, { id: "git-delivery" });
      expect(answer.status).toBe(status);
      await running.settled();
    }
    const files = execFileSync("git", ["-C", dir, "ls-files"], { encoding: "utf8" }).split("\n");
    expect(files.filter((f) => f.startsWith("evidence/reviews/"))).toEqual([
      `evidence/reviews/codertocat/hello-world/pr-2/${payload.review.id}-submitted-git-delivery.yml`,
    ]);
  });
});

describe("starting in production", () => {
  it.each([
    ["missing", { WEBHOOK_SECRET: undefined }],
    ["the development default", { WEBHOOK_SECRET: "development" }],
  ])("refuses to start when the webhook secret is %s", async (_label, over) => {
    await expect(
      startServer({ env: env({ NODE_ENV: "production", ...over }), store: new FakeStore() }),
    ).rejects.toThrow(ConfigError);
    const lines: string[] = [];
    const status = await serve(env({ NODE_ENV: "production", ...over }), (l) => lines.push(l));
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^soc2 app: WEBHOOK_SECRET is .*refuses to start/);
  });
});
