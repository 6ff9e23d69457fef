import type { Probot } from "probot";
import { openTargetStore } from "../src/adapters/evidence/open-target.js";
import { PostgresWriterLock } from "../src/adapters/evidence/postgres-writer-lock.js";
import type { GitHubClient } from "../src/adapters/github/client.js";
import type {
  EvidenceStore,
  FolderSelection,
  PendingRecord,
} from "../src/core/evidence/pending-record.js";
import type { AppConfig } from "./config.js";
import type { Clock } from "../src/adapters/clock.js";

/**
 * The store the settings name: the GitHub API on EVIDENCE_REPO, or git (EVIDENCE_GIT_DIR, pushed
 * to EVIDENCE_GIT_REMOTE when set). It is opened on the first record, so a server starts (and
 * rejects forged deliveries) even before the evidence repository is reachable, and a failure to
 * open it fails that delivery (GitHub can redeliver it) rather than the server.
 */
export function storeFactory(config: AppConfig, now: Clock): (app: Probot) => EvidenceStore {
  return (app) => {
    let opened: Promise<EvidenceStore> | undefined;
    const open = () =>
      (opened ??= openStore(config, app, now).catch((error: unknown) => {
        opened = undefined; // try again on the next delivery
        throw error;
      }));
    return {
      async append(record: PendingRecord) {
        return (await open()).append(record);
      },
      async readFolder(folder: string, selection: FolderSelection) {
        const store = await open();
        return store.readFolder ? store.readFolder(folder, selection) : [];
      },
    };
  };
}

async function openStore(config: AppConfig, app: Probot, now: Clock): Promise<EvidenceStore> {
  const target = config.evidence;
  const onRetry = (event: { path: string; attempt: number; reason: string; waitMs: number }) =>
    app.log.warn({ ...event }, "soc2: the evidence store retries");
  // Replicas sharing DATABASE_URL take turns on the evidence branch (ADR 0006) instead of racing
  // for its ref, and hand each other its tip.
  const queue = config.queue.target;
  const writerLock =
    target.type === "github" && queue.type === "postgresql"
      ? await PostgresWriterLock.open({ connectionString: queue.url })
      : undefined;
  return openTargetStore(
    target,
    () => installationClient(app, target.type === "github" ? target.repository : ""),
    { now, onRetry, ...(writerLock ? { writerLock } : {}) },
  );
}

/**
 * An Octokit for the installation that holds the evidence repository (often not the one that sent
 * the webhook): the App looks it up with its own JWT, and Probot renews the token as it expires.
 */
export async function installationClient(app: Probot, repository: string): Promise<GitHubClient> {
  const [owner = "", repo = ""] = repository.split("/");
  const appOctokit = await app.auth();
  const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", {
    owner,
    repo,
  });
  return (await app.auth(data.id)) as unknown as GitHubClient;
}
