import { resolve } from "node:path";
import {
  gitRecordLookup,
  githubRecordLookup,
  type RecordLookup,
} from "../../src/adapters/evidence/record-lookup.js";
import type { GitHubClient } from "../../src/adapters/github/client.js";
import type { EvidenceTarget } from "../config.js";

/**
 * What the evidence already holds, read where the App's settings say the store writes
 * (EVIDENCE_REPO through `client`, else git: EVIDENCE_GIT_REMOTE or EVIDENCE_GIT_DIR).
 */
export async function recordLookupFor(
  target: EvidenceTarget,
  client: GitHubClient | undefined,
): Promise<RecordLookup> {
  if (target.type === "github") {
    if (!client) throw new Error(`no GitHub client to read ${target.repository} with`);
    return githubRecordLookup(client, target);
  }
  return gitRecordLookup({
    dir: resolve(target.dir),
    ...(target.remote ? { remote: target.remote } : {}),
    branch: target.branch,
    path: target.path,
  });
}
