import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../app/config.js";

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    readConfig(env as NodeJS.ProcessEnv);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("settings", () => {
  it("have safe defaults: a local git evidence repository, CHG-01, each repository's own soc2.yml", () => {
    expect(readConfig({})).toEqual({
      production: false,
      port: 3000,
      host: "localhost",
      webhookPath: "/api/github/webhooks",
      evidence: {
        type: "git",
        dir: "./evidence-repo",
        branch: "main",
        path: "evidence",
        author: { name: "soc2-as-code App", email: "soc2-as-code-app@localhost" },
      },
      policyRepository: "",
      policyPath: "soc2.yml",
      controls: ["CHG-01"],
      protectedBranches: ["main"],
      githubApi: "graphql",
      queue: {
        target: { type: "journal", dir: "./.soc2-app/deliveries" },
        workers: 4,
        maxAttempts: 10,
        retryBaseMs: 5000,
        retryMaxMs: 900_000,
        pollMs: 1000,
        drainMs: 25_000,
        leaseMs: 60_000,
      },
      reconcile: { intervalMs: 0 },
      redelivery: { intervalMs: 300_000, maxPerScan: 50 },
      monitor: { intervalMs: 0 },
    });
  });

  it("queue deliveries in PostgreSQL when DATABASE_URL is set, and refuse bad queue settings", () => {
    expect(readConfig({ DATABASE_URL: "postgres://app@db:5432/soc2" }).queue.target).toEqual({
      type: "postgresql",
      url: "postgres://app@db:5432/soc2",
    });
    expect(() =>
      readConfig({
        DATABASE_URL: "mysql://db",
        DELIVERY_WORKERS: "0",
        DELIVERY_MAX_ATTEMPTS: "many",
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          "DATABASE_URL is not a postgres:// or postgresql:// URL (the App's scaled mode runs on PostgreSQL)",
          'DELIVERY_WORKERS "0" is not a whole number from 1 to 64',
          'DELIVERY_MAX_ATTEMPTS "many" is not a whole number from 1 to 100',
        ],
      }),
    );
  });

  it("write through the GitHub API to EVIDENCE_REPO, or through git to EVIDENCE_GIT_REMOTE", () => {
    expect(
      readConfig({
        EVIDENCE_REPO: "acme/evidence",
        EVIDENCE_BRANCH: "records",
        EVIDENCE_PATH: "soc2/evidence/",
      }).evidence,
    ).toEqual({
      type: "github",
      repository: "acme/evidence",
      branch: "records",
      path: "soc2/evidence",
    });
    expect(
      readConfig({
        EVIDENCE_GIT_REMOTE: "git@github.com:acme/evidence.git",
        EVIDENCE_GIT_DIR: "/var/lib/soc2",
      }).evidence,
    ).toEqual({
      type: "git",
      dir: "/var/lib/soc2",
      remote: "git@github.com:acme/evidence.git",
      branch: "main",
      path: "evidence",
      author: { name: "soc2-as-code App", email: "soc2-as-code-app@localhost" },
    });
    expect(
      readConfig({ CHANGE_CONTROLS: "CHG-01, CHG-02", PROTECTED_BRANCHES: "main,release/*" }),
    ).toMatchObject({ controls: ["CHG-01", "CHG-02"], protectedBranches: ["main", "release/*"] });
  });

  it("name each bad setting once, with how to fix it", () => {
    const problems = problemsOf({
      APP_ID: "abc",
      WEBHOOK_SECRET: "a-real-secret",
      PORT: "70000",
      WEBHOOK_PATH: "hooks",
      EVIDENCE_REPO: "not-a-repo",
      EVIDENCE_GIT_REMOTE: "https://example.com/x.git",
      EVIDENCE_BRANCH: "bad..branch",
      EVIDENCE_PATH: "../outside",
      POLICY_REPOSITORY: "no slash",
      CHANGE_CONTROLS: "chg-01",
      LOG_LEVEL: "loud",
      LOG_FORMAT: "xml",
      GHE_PROTOCOL: "ftp",
      GITHUB_API: "soap",
    });
    expect(problems.map((p) => p.split(" ")[0])).toEqual([
      "APP_ID",
      "GHE_PROTOCOL",
      "LOG_LEVEL",
      "LOG_FORMAT",
      "PORT",
      "WEBHOOK_PATH",
      "EVIDENCE_BRANCH",
      "EVIDENCE_PATH",
      "EVIDENCE_REPO",
      "EVIDENCE_REPO",
      "POLICY_REPOSITORY",
      "CHANGE_CONTROLS",
      "GITHUB_API",
    ]);
    expect(problems.every((p) => !p.includes("\n"))).toBe(true);
  });

  it("refuse a deployed App (an App ID or key is set) without a real webhook secret, unless NODE_ENV says development or test", () => {
    // Probot's default secret is public: anyone could sign a delivery with it.
    expect(problemsOf({ APP_ID: "1", PRIVATE_KEY: "k" })).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET is not set: .*only NODE_ENV=development or test/),
    ]);
    expect(problemsOf({ APP_ID: "1", PRIVATE_KEY: "k", WEBHOOK_SECRET: "development" })).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET is the development default/),
    ]);
    expect(problemsOf({ APP_ID: "1", PRIVATE_KEY: "k", NODE_ENV: "development" })).toEqual([]);
    expect(problemsOf({ APP_ID: "1", PRIVATE_KEY: "k", WEBHOOK_SECRET: "s3cret" })).toEqual([]);
  });

  it("refuse production without a webhook secret, an App ID or a private key", () => {
    expect(problemsOf({ NODE_ENV: "production" })).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET is not set: .*refuses to start/),
      expect.stringMatching(/^APP_ID is not set/),
      expect.stringMatching(/^neither PRIVATE_KEY nor PRIVATE_KEY_PATH is set/),
    ]);
    expect(
      problemsOf({
        NODE_ENV: "production",
        WEBHOOK_SECRET: "development",
        APP_ID: "1",
        PRIVATE_KEY_PATH: "k.pem",
      }),
    ).toEqual([expect.stringMatching(/^WEBHOOK_SECRET is the development default/)]);
    expect(
      readConfig({
        NODE_ENV: "production",
        WEBHOOK_SECRET: "s",
        APP_ID: "1",
        PRIVATE_KEY_PATH: "k.pem",
      }).production,
    ).toBe(true);
  });
});
