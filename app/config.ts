import { parsePolicySource } from "../src/core/change-management/policy-source.js";
import { readMonitorConfig, type MonitorConfig } from "./monitor/monitor-config.js";
import { readQueueConfig, type QueueConfig } from "./queue-config.js";
import { readReconcileConfig, type ReconcileConfig } from "./reconcile/reconcile-config.js";
import { readRedeliveryConfig, type RedeliveryConfig } from "./redelivery/config.js";

/** Where the App writes evidence. */
export type EvidenceTarget =
  | { type: "github"; repository: string; branch: string; path: string }
  | {
      type: "git";
      dir: string;
      remote?: string;
      branch: string;
      path: string;
      /** Author and committer of the git store's commits. */
      author: { name: string; email: string };
    };

/** The App's own settings (Probot reads its own: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, …). */
export interface AppConfig {
  production: boolean;
  port: number;
  host: string;
  webhookPath: string;
  evidence: EvidenceTarget;
  /** POLICY_REPOSITORY (owner/name[:path][@ref]); empty: each repository's own soc2.yml at the base commit. */
  policyRepository: string;
  /** POLICY_PATH: the policy file in a repository (default soc2.yml). */
  policyPath: string;
  /** The controls change records and events evidence. */
  controls: string[];
  /** Branches treated as protected where no policy can be read. */
  protectedBranches: string[];
  /**
   * GITHUB_API: how the App reads GitHub. "graphql" (default): one GraphQL query per merge and per
   * push, REST for what GraphQL lacks, and REST whenever GitHub cannot run the query (an older
   * GitHub Enterprise Server). "rest": REST only.
   */
  githubApi: "graphql" | "rest";
  /** The durable delivery queue and its workers. */
  queue: QueueConfig;
  /** Reconciliation against GitHub's API at start-up and on an interval. */
  reconcile: ReconcileConfig;
  /** Asking GitHub again for deliveries that never reached the queue. */
  redelivery: RedeliveryConfig;
  /** Snapshots of GitHub's settings and drift, on a schedule. */
  monitor: MonitorConfig;
}

/** Settings that stop the App from starting: one message per bad setting. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const CONTROL_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;
// git check-ref-format, simplified: no spaces or control characters, none of ~^:?*[\, no "..",
// "@{" or "//", no leading "-" or "/", no trailing "/" or ".lock".
function validBranch(name: string): boolean {
  return (
    name !== "" &&
    !/[\s~^:?*[\\]/.test(name) &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) &&
    !/\.\.|@\{|\/\//.test(name) &&
    !/^[-/]|\/$|\.lock$/.test(name)
  );
}
const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];
export const DEFAULTS = {
  port: 3000,
  host: "localhost",
  webhookPath: "/api/github/webhooks",
  evidenceBranch: "main",
  evidencePath: "evidence",
  evidenceGitDir: "./evidence-repo",
  evidenceGitAuthor: { name: "soc2-as-code App", email: "soc2-as-code-app@localhost" },
  policyPath: "soc2.yml",
  controls: ["CHG-01"],
  protectedBranches: ["main"],
} as const;

const listOf = (value: string | undefined): string[] =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Reads and checks the settings from the environment, with safe defaults. Throws a ConfigError
 * listing every bad setting, so that a misconfigured App never starts (and in production never
 * starts without a webhook secret: unsigned deliveries would otherwise be accepted as "development").
 */
export function readConfig(env: NodeJS.ProcessEnv): AppConfig {
  const problems: string[] = [];
  const get = (name: string) => env[name]?.trim() ?? "";
  const production = get("NODE_ENV") === "production";

  // Probot's default secret is public ("development"): anyone could sign deliveries with it. Only
  // an explicit development or test environment may run without a real one.
  const secret = get("WEBHOOK_SECRET");
  const insecureAllowed = ["development", "test"].includes(get("NODE_ENV"));
  const deployed =
    production ||
    get("APP_ID") !== "" ||
    get("PRIVATE_KEY") !== "" ||
    get("PRIVATE_KEY_PATH") !== "";
  if (deployed && !insecureAllowed && (secret === "" || secret === "development"))
    problems.push(
      `WEBHOOK_SECRET is ${secret === "" ? "not set" : 'the development default "development"'}: the App refuses to start without the webhook secret of your GitHub App${production ? " in production (NODE_ENV=production)" : " (only NODE_ENV=development or test may run without one)"}; set WEBHOOK_SECRET to it`,
    );
  const appId = get("APP_ID");
  if (appId !== "" && !/^\d+$/.test(appId))
    problems.push(
      `APP_ID "${appId}" is not a number: use the App ID shown on the GitHub App's settings page`,
    );
  if (production && appId === "")
    problems.push("APP_ID is not set: in production the App needs its GitHub App ID");
  if (production && get("PRIVATE_KEY") === "" && get("PRIVATE_KEY_PATH") === "")
    problems.push(
      "neither PRIVATE_KEY nor PRIVATE_KEY_PATH is set: in production the App needs its private key (the .pem downloaded from the GitHub App's settings)",
    );
  const protocol = get("GHE_PROTOCOL");
  if (protocol !== "" && protocol !== "https" && protocol !== "http")
    problems.push(`GHE_PROTOCOL "${protocol}" is not http or https`);
  if (production && protocol === "http")
    problems.push(
      "GHE_PROTOCOL is http: in production talk to GitHub Enterprise Server over https",
    );
  const level = get("LOG_LEVEL");
  if (level !== "" && !LOG_LEVELS.includes(level))
    problems.push(`LOG_LEVEL "${level}" is not one of ${LOG_LEVELS.join(", ")}`);

  const format = get("LOG_FORMAT");
  if (format !== "" && format !== "json" && format !== "pretty")
    problems.push(`LOG_FORMAT "${format}" is not json or pretty`);

  const portText = get("PORT");
  const port = portText === "" ? DEFAULTS.port : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT "${portText}" is not a port number (0 to 65535; 0 picks a free port)`);
  const webhookPath = get("WEBHOOK_PATH") || DEFAULTS.webhookPath;
  if (!webhookPath.startsWith("/"))
    problems.push(`WEBHOOK_PATH "${webhookPath}" must start with /, e.g. /api/github/webhooks`);

  const branch = get("EVIDENCE_BRANCH") || DEFAULTS.evidenceBranch;
  if (!validBranch(branch)) problems.push(`EVIDENCE_BRANCH "${branch}" is not a valid branch name`);
  const path = (get("EVIDENCE_PATH") || DEFAULTS.evidencePath).replace(/\/+$/, "");
  if (path.startsWith("/") || path.split("/").some((s) => s === ".." || s === "" || s === "."))
    problems.push(
      `EVIDENCE_PATH "${path}" must be a folder inside the evidence repository, e.g. evidence (no leading /, no . or .. segments)`,
    );
  const repository = get("EVIDENCE_REPO");
  const remote = get("EVIDENCE_GIT_REMOTE");
  if (repository !== "" && !REPOSITORY.test(repository))
    problems.push(`EVIDENCE_REPO "${repository}" is not owner/name, e.g. acme/evidence`);
  if (repository !== "" && remote !== "")
    problems.push(
      "EVIDENCE_REPO and EVIDENCE_GIT_REMOTE are both set: choose one (EVIDENCE_REPO writes through the GitHub API, EVIDENCE_GIT_REMOTE through git)",
    );
  for (const name of ["EVIDENCE_GIT_AUTHOR_NAME", "EVIDENCE_GIT_AUTHOR_EMAIL"]) {
    if (/[<>\n\r]/.test(get(name))) problems.push(`${name} must not contain <, > or a line break`);
  }
  const evidence: EvidenceTarget =
    repository !== ""
      ? { type: "github", repository, branch, path }
      : {
          type: "git",
          dir: get("EVIDENCE_GIT_DIR") || DEFAULTS.evidenceGitDir,
          ...(remote ? { remote } : {}),
          branch,
          path,
          author: {
            name: get("EVIDENCE_GIT_AUTHOR_NAME") || DEFAULTS.evidenceGitAuthor.name,
            email: get("EVIDENCE_GIT_AUTHOR_EMAIL") || DEFAULTS.evidenceGitAuthor.email,
          },
        };

  const policyRepository = get("POLICY_REPOSITORY");
  const policyPath = get("POLICY_PATH") || DEFAULTS.policyPath;
  if (policyRepository !== "") {
    const parsed = parsePolicySource(policyRepository, "owner/name", policyPath);
    if ("problem" in parsed)
      problems.push(parsed.problem.replace("policy-repository", "POLICY_REPOSITORY"));
  }

  const controls =
    get("CHANGE_CONTROLS") === "" ? [...DEFAULTS.controls] : listOf(get("CHANGE_CONTROLS"));
  const badControls = controls.filter((c) => !CONTROL_ID.test(c));
  if (controls.length === 0 || badControls.length > 0)
    problems.push(
      `CHANGE_CONTROLS "${get("CHANGE_CONTROLS")}" must list control IDs separated by commas, e.g. CHG-01,CHG-02${badControls.length ? ` (not control IDs: ${badControls.join(", ")})` : ""}`,
    );
  const protectedBranches =
    get("PROTECTED_BRANCHES") === ""
      ? [...DEFAULTS.protectedBranches]
      : listOf(get("PROTECTED_BRANCHES"));
  if (protectedBranches.length === 0)
    problems.push(
      "PROTECTED_BRANCHES is empty: list branch patterns separated by commas, e.g. main,release/*",
    );

  const githubApi = get("GITHUB_API") || "graphql";
  if (githubApi !== "graphql" && githubApi !== "rest")
    problems.push(
      `GITHUB_API "${githubApi}" is not graphql or rest (graphql, the default, reads a merge with one query; rest never uses GraphQL)`,
    );

  const queue = readQueueConfig(get, problems);
  const reconcile = readReconcileConfig(get, problems);
  const redelivery = readRedeliveryConfig(get, problems);
  const monitor = readMonitorConfig(get, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    production,
    port,
    host: get("HOST") || DEFAULTS.host,
    webhookPath,
    evidence,
    policyRepository,
    policyPath,
    controls,
    protectedBranches,
    githubApi: githubApi === "rest" ? "rest" : "graphql",
    queue,
    reconcile,
    redelivery,
    monitor,
  };
}
