import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import soc2App, { ConfigError } from "../../app/index.js";
import { tempDir } from "../helpers/temp-dir.js";
import { appKey, captureLog, example, TestOctokit } from "./support.js";

// The default export, as `probot run` and Probot's serverless adapters load it: settings from
// process.env (this file runs in its own process).

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

const probot = () =>
  new Probot({ appId: 1, privateKey: appKey(), Octokit: TestOctokit, log: captureLog().log });

describe("the App as Probot loads it", () => {
  it("reads its settings from the environment and records through the store they name", async () => {
    const dir = join(await tempDir("soc2-app-index-"), "evidence");
    process.env.EVIDENCE_GIT_DIR = dir;
    process.env.EVIDENCE_PATH = "records";
    process.env.CHANGE_CONTROLS = "CHG-01,CHG-03";
    const app = probot();
    await app.load(soc2App);
    const payload = example("pull_request_review", "submitted");
    await app.receive({ id: "index-delivery", name: "pull_request_review", payload } as Parameters<
      Probot["receive"]
    >[0]);
    const record = execFileSync(
      "git",
      [
        "-C",
        dir,
        "show",
        `HEAD:records/reviews/codertocat/hello-world/pr-2/${payload.review.id}-submitted-index-delivery.yml`,
      ],
      { encoding: "utf8" },
    );
    expect(record).toContain("controls:\n  - CHG-01\n  - CHG-03");
  });

  it("refuses to load in production without a webhook secret", async () => {
    Object.assign(process.env, { NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY_PATH: "k.pem" });
    delete process.env.WEBHOOK_SECRET;
    await expect(probot().load(soc2App)).rejects.toThrow(ConfigError);
  });
});
