// Shared set-up for the App's tests: a generated App key, a Probot with retries and throttling
// off, real webhook payloads (trimmed and adjusted), nock scopes whose requests are checked
// against the OpenAPI subset, and captured logs.
import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import examples from "@octokit/webhooks-examples";
import nock from "nock";
import pino from "pino";
import { Probot, ProbotOctokit } from "probot";
import { readConfig, type AppConfig } from "../../app/config.js";
import { createApp } from "../../app/create-app.js";
import { checkRequest } from "../support/github-openapi.js";
import { FakeStore } from "./fake-store.js";

export const API = "https://api.github.com";
export const INSTALLATION_ID = 1;
export const NOW = new Date("2026-03-02T10:00:00.000Z");

let key: string | undefined;
/** An RSA key made for the test run, in the PKCS#1 form GitHub hands out. Never committed. */
export function appKey(): string {
  key ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return key;
}

/** Probot's Octokit without retries and throttling (the function form: the object form is overridden). */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** A pino logger whose JSON lines the test can read. */
export function captureLog(level: pino.Level = "debug"): {
  log: pino.Logger;
  lines: Record<string, unknown>[];
  text: () => string;
} {
  const lines: Record<string, unknown>[] = [];
  let raw = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split("\n").filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level }, stream), lines, text: () => raw };
}

export interface TestApp {
  probot: Probot;
  store: FakeStore;
  config: AppConfig;
  logs: ReturnType<typeof captureLog>;
  /** Delays between pull-request lookups the push handler waited. */
  slept: number[];
}

/** A Probot with the App loaded, a fake store and captured logs. */
export async function testApp(
  env: NodeJS.ProcessEnv = {},
  delays: number[] = [],
): Promise<TestApp> {
  const store = new FakeStore();
  const logs = captureLog();
  // The nock tests mock GitHub's REST answers: REST only, unless a test asks for GraphQL.
  const config = readConfig({ GITHUB_API: "rest", ...env });
  const slept: number[] = [];
  const probot = new Probot({
    appId: 123,
    privateKey: appKey(),
    secret: "test-secret",
    Octokit: TestOctokit,
    log: logs.log,
  });
  await probot.load(
    createApp({
      config,
      store,
      now: () => NOW,
      sourceName: "soc2-as-code App test",
      pullLookupDelaysMs: delays,
      sleep: async (ms) => void slept.push(ms),
    }),
  );
  return { probot, store, config, logs, slept };
}

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const events = examples as unknown as { name: string; examples: Payload[] }[];

/**
 * A real payload from @octokit/webhooks-examples (one with an installation), deep-copied. For
 * push, the push of a commit to a branch.
 */
export function example(event: string, action?: string): Payload {
  const found = events
    .find((e) => e.name === event)
    ?.examples.find(
      (x) =>
        (action === undefined || x.action === action) &&
        x.installation &&
        (event !== "push" || (String(x.ref).startsWith("refs/heads/") && x.commits.length > 0)),
    );
  if (!found)
    throw new Error(`no ${event}${action ? `.${action}` : ""} example with an installation`);
  return structuredClone(found);
}

/** A nock scope on the API whose every request is checked against the OpenAPI subset. */
export function github(problems: string[]): nock.Scope {
  const scope = nock(API);
  scope.on(
    "request",
    (req: { method: string; path: string }, _interceptor: unknown, body: string) => {
      const url = new URL(req.path, API);
      const query: Record<string, string> = {};
      url.searchParams.forEach((value, name) => (query[name] = value));
      const parsed = body ? (JSON.parse(body) as unknown) : undefined;
      for (const problem of checkRequest({
        method: req.method,
        path: url.pathname,
        query,
        body: parsed,
      }))
        problems.push(`${req.method} ${req.path}: ${problem}`);
    },
  );
  return scope.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, {
    token: "ghs_installationtoken00000000000000000000",
    expires_at: "2099-01-01T00:00:00Z",
    permissions: { contents: "read", pull_requests: "read" },
    repository_selection: "all",
  });
}

export const base64 = (text: string) => Buffer.from(text).toString("base64");
