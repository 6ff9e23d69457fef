import { resolve } from "node:path";
import type { EvidenceTarget } from "../../../app/config.js";
import type { Clock } from "../clock.js";
import type { GitHubClient } from "../github/client.js";
import type { EvidenceStore } from "../../core/evidence/pending-record.js";
import { GitEvidenceStore } from "./git-store.js";
import { GitHubEvidenceStore } from "./github-store.js";
import { gitFolderReader, githubFolderReader } from "./read-folder.js";
import type { RetryOptions } from "./retry.js";
import type { WriterLock } from "./writer-lock.js";

/**
 * The store an evidence target names (the GitHub API on a repository, or git), able to read back
 * what it stored: the App's and `soc2 monitor`'s one way to open it. `client` is only called for
 * a GitHub target.
 */
export async function openTargetStore(
  target: EvidenceTarget,
  client: () => Promise<GitHubClient>,
  options: { now: Clock; onRetry?: RetryOptions["onRetry"]; writerLock?: WriterLock },
): Promise<EvidenceStore> {
  const common = { branch: target.branch, evidencePath: target.path, now: options.now, ...(options.onRetry ? { onRetry: options.onRetry } : {}) };
  if (target.type === "github") {
    const github = await client();
    const store = new GitHubEvidenceStore(github, {
      repository: target.repository,
      ...common,
      ...(options.writerLock ? { writerLock: options.writerLock } : {}),
    });
    return readable(store, githubFolderReader(github, target.repository, target.branch, target.path));
  }
  const dir = resolve(target.dir);
  const store = new GitEvidenceStore({
    dir,
    ...(target.remote ? { remote: target.remote } : {}),
    author: target.author,
    ...common,
  });
  return readable(store, gitFolderReader(dir, target.branch, target.path));
}

/** A store that can also read back what it stored (the App's own records, earlier snapshots). */
function readable(store: EvidenceStore, readFolder: EvidenceStore["readFolder"]): EvidenceStore {
  return { append: (record) => store.append(record), readFolder };
}
