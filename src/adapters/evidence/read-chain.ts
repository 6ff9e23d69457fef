import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { CheckRepoActions, simpleGit } from "simple-git";
import { normalizeEvidencePath, CHAIN_HEAD_FILE } from "../../core/evidence/record-path.js";
import {
  summarizeChainRecord,
  type ChainRecordInput,
  type CommitWriter,
  type HistoryChange,
  type VerifyChainInput,
} from "../../core/evidence/verify-chain.js";
import { LIMITS } from "../../core/limits.js";
import { loadSourceFile } from "../../core/source-file.js";
import { inParallel } from "../in-parallel.js";
import { readRegularFile } from "../read-regular-file.js";
import { readSource } from "../read-repository.js";

/** Record files read at once: the disk stays busy, the parsed records in memory stay few. */
const CONCURRENCY = 32;

export interface ReadChainOptions {
  /** The evidence folder, as `evidence.path` in soc2.yml. Default evidence. */
  evidencePath?: string;
  /** Read git history too (commit times, changes and deletions). Default: when `dir` is a git repository. */
  history?: boolean;
}

/**
 * Everything `verifyChain` needs from a checkout of an evidence repository, read offline: the
 * record files and chain-head.json as they are in the working tree, and from git history when
 * there is one, when each record was added and which commits later changed or removed records.
 */
export async function readEvidenceChain(
  dir: string,
  options: ReadChainOptions = {},
): Promise<VerifyChainInput> {
  const evidencePath = normalizeEvidencePath(options.evidencePath ?? "evidence");
  const root = join(dir, evidencePath);
  // Read a few files at once, each reduced to what the checks need as soon as it is parsed: the
  // parsed records are never all in memory.
  const records = await inParallel(await recordFiles(root, evidencePath), CONCURRENCY, (path) =>
    readRecord(dir, path),
  );
  const headFile = evidencePath === "" ? CHAIN_HEAD_FILE : `${evidencePath}/${CHAIN_HEAD_FILE}`;
  // Not a regular file (a link, a FIFO) or unreadable: as if absent, which verify reports.
  const headRead = await readRegularFile(join(dir, headFile), LIMITS.maxProgramFileBytes);
  const head = headRead.kind === "read" ? new TextDecoder().decode(headRead.bytes) : undefined;

  const git = simpleGit({ baseDir: dir });
  const useHistory = options.history ?? (await git.checkIsRepo(CheckRepoActions.IS_REPO_ROOT));
  let history: HistoryChange[] | undefined;
  if (useHistory) {
    const log = await readHistory(dir, evidencePath);
    const writers = await readWriters(dir, evidencePath);
    history = log.changes;
    for (const record of records) {
      const added = log.added.get(record.path);
      const by = added ? writers.get(added.commit) : undefined;
      if (added)
        Object.assign(record, {
          addedAt: added.at,
          addedIn: added.commit,
          ...(by ? { addedBy: by } : {}),
        });
    }
  }
  return {
    evidencePath,
    records,
    ...(head === undefined ? {} : { head }),
    ...(history ? { history } : {}),
  };
}

/**
 * One record file, summarized. The same checks as soc2 validate (file-type, file-too-large,
 * file-unreadable, encoding): a link or FIFO is never opened, and a file that cannot be read is a
 * finding, not a crash. A record that reads as YAML is verified whatever its schema says: verify
 * checks integrity.
 */
async function readRecord(dir: string, path: string): Promise<ChainRecordInput> {
  const loaded = loadSourceFile(
    await readSource(dir, path, LIMITS.maxEvidenceFileBytes),
    "evidence",
  );
  const problem = loaded.file ? undefined : loaded.diagnostics.find((d) => d.severity === "error");
  return problem
    ? { path, unreadable: `line ${problem.line}: ${problem.message} [${problem.rule}]` }
    : summarizeChainRecord(path, loaded.file?.parsed.value);
}

/** Record files under the evidence folder: .yml and .yaml, no hidden names; links are listed, not followed. */
async function recordFiles(folder: string, relative: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      const full = join(dir, entry.name);
      // Links, FIFOs and the like are listed too, and reported as unreadable records.
      if (entry.isDirectory()) await walk(full, path);
      else if (/\.ya?ml$/i.test(entry.name)) out.push(path);
    }
  };
  await walk(folder, relative);
  return out.sort();
}

/**
 * The history of the evidence folder on the checked-out branch, oldest first: when each record
 * file was (last) added, and every later modification or deletion of one.
 */
async function readHistory(
  dir: string,
  evidencePath: string,
): Promise<{ added: Map<string, { at: string; commit: string }>; changes: HistoryChange[] }> {
  const git = simpleGit({ baseDir: dir });
  const hasCommits = await git.raw(["rev-parse", "--verify", "--quiet", "HEAD"]).then(
    () => true,
    () => false,
  );
  const added = new Map<string, { at: string; commit: string }>();
  const changes: HistoryChange[] = [];
  if (!hasCommits) return { added, changes };
  const output = await git.raw([
    "-c",
    "core.quotePath=false",
    "log",
    "--reverse",
    // Walk what landed on the branch: each commit of its first-parent line, merges diffed against
    // their first parent. By default a merge lists no files, which would let an edit hide in one;
    // and commits inside a merged pull request (an author fixing their own new record before it
    // landed) are not changes to landed evidence.
    "--first-parent",
    "--diff-merges=first-parent",
    "--no-renames",
    "--relative",
    "--format=commit %H %cI",
    "--name-status",
    "--",
    evidencePath === "" ? "." : evidencePath,
  ]);
  let commit = "";
  let at = "";
  for (const line of output.split("\n")) {
    const header = /^commit ([0-9a-f]{40,64}) (\S+)$/.exec(line);
    if (header) {
      commit = header[1]!;
      at = new Date(header[2]!).toISOString().replace(/\.\d{3}Z$/, "Z");
      continue;
    }
    const entry = /^([AMDT])\t(.+)$/.exec(line);
    if (!entry || !/\.ya?ml$/i.test(entry[2]!)) continue;
    const [, status, path] = entry as unknown as [string, string, string];
    // The first time a record appears is when it was added; a merge that brings it in again
    // (diffed against its first parent) does not move that time.
    if (status === "A") {
      if (!added.has(path)) added.set(path, { at, commit });
    } else changes.push({ path, change: status === "D" ? "deleted" : "modified", commit, at });
  }
  return { added, changes };
}

/**
 * The committer of each commit on the branch's first-parent line that touched the evidence
 * folder, and whether it is signed. Read from the raw commit objects (`--pretty=raw`): a signed
 * commit has a gpgsig (or gpgsig-sha256) header. No key is needed to see that, so it works
 * offline; whether the signature is valid is `git log --show-signature`'s to say, with the key.
 */
async function readWriters(dir: string, evidencePath: string): Promise<Map<string, CommitWriter>> {
  const git = simpleGit({ baseDir: dir });
  const writers = new Map<string, CommitWriter>();
  const hasCommits = await git.raw(["rev-parse", "--verify", "--quiet", "HEAD"]).then(
    () => true,
    () => false,
  );
  if (!hasCommits) return writers;
  const output = await git.raw([
    "log",
    "--first-parent",
    "--pretty=raw",
    "--no-color",
    "--",
    evidencePath === "" ? "." : evidencePath,
  ]);
  let current: { sha: string; name: string; email: string; signed: boolean } | undefined;
  let inHeader = false;
  const flush = () => {
    if (current) writers.set(current.sha, { name: current.name, email: current.email, signed: current.signed });
  };
  for (const line of output.split("\n")) {
    // Message lines are indented by four spaces and signature lines by one, so a header line
    // cannot be imitated by a commit message.
    const start = /^commit ([0-9a-f]{40,64})\b/.exec(line);
    if (start) {
      flush();
      current = { sha: start[1]!, name: "", email: "", signed: false };
      inHeader = true;
      continue;
    }
    if (!current || !inHeader) continue;
    if (line === "") {
      inHeader = false;
      continue;
    }
    const committer = /^committer (.*) <([^>]*)> \d+ [+-]\d{4}$/.exec(line);
    if (committer) Object.assign(current, { name: committer[1]!, email: committer[2]! });
    else if (/^gpgsig(-sha256)? /.test(line)) current.signed = true;
  }
  flush();
  return writers;
}
