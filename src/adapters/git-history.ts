import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { simpleGit } from "simple-git";
import type { BranchCommit, BranchHistory } from "../core/audit/completeness.js";
import { globMatcher } from "../core/change-management/globs.js";
import { ownCopy, sharedCopy } from "../core/detach.js";

/** A clone that cannot be read as asked: the caller's mistake (a wrong path, no such branch). */
export class HistoryError extends Error {
  override name = "HistoryError";
}

export interface HistorySource {
  /** owner/name of the product repository the clone is of. */
  repository: string;
  /** The folder of its clone. */
  path: string;
}

// Fields of one commit, separated by a unit separator; commits by a record separator. Neither can
// appear in a SHA, a date or (in practice) a name, and the subject is the last field.
const FORMAT = "--format=%H%x1f%cI%x1f%an%x1f%ae%x1f%s%x1e";

/**
 * The first-parent history of each protected branch of a clone: the commits that were, one after
 * another, the tip of the branch (a merge commit, a squash, each rebased commit, each pushed
 * commit); not the commits a merge brought in from the side. A remote-tracking branch
 * (origin/main) is preferred to a local one, which may hold commits that were never pushed.
 * Reads the whole history, not only the period, so that nothing is missed on account of commit
 * dates out of order.
 */
export async function readBranchHistories(
  source: HistorySource,
  branchPatterns: readonly string[],
  /** The first day of the period (YYYY-MM-DD): a shallow clone must reach back before it. */
  from: string,
): Promise<BranchHistory[]> {
  const info = await stat(source.path).catch(() => undefined);
  if (!info?.isDirectory())
    throw new HistoryError(
      `--history ${source.repository}=${source.path}: no such folder: pass the path of a clone of ${source.repository}`,
    );
  const git = simpleGit({ baseDir: source.path });
  const top = await git.raw(["rev-parse", "--show-toplevel"]).catch(() => undefined);
  if (top === undefined)
    throw new HistoryError(
      `--history ${source.repository}=${source.path}: not a git repository: pass the path of a clone (git clone https://github.com/${source.repository})`,
    );
  const refs = (
    await git.raw(["for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes/origin"])
  )
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const branches = new Map<string, string>();
  for (const ref of refs) {
    const local = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
    const remote = /^refs\/remotes\/origin\/(.+)$/.exec(ref)?.[1];
    if (remote && remote !== "HEAD") branches.set(remote, ref);
    else if (local && !branches.has(local)) branches.set(local, ref);
  }
  const matches = globMatcher(branchPatterns);
  const selected = [...branches.entries()].filter(([name]) => matches(name)).sort();
  if (selected.length === 0)
    throw new HistoryError(
      `--history ${source.repository}=${source.path}: no branch matches ${branchPatterns.join(", ")} (change_management.branches in soc2.yml): fetch it (git fetch origin) or clone the repository again`,
    );
  const shallow = (await git.raw(["rev-parse", "--is-shallow-repository"])).trim() === "true";
  const histories: BranchHistory[] = [];
  for (const [branch, ref] of selected) {
    const commits = await readLog(source.path, ref);
    // A shallow clone (git clone --depth) ends somewhere: when that is inside the period, commits
    // before it are missing and completeness cannot be shown.
    const oldest = commits.at(-1);
    if (shallow && (!oldest || oldest.committedAt.slice(0, 10) >= from))
      throw new HistoryError(
        `--history ${source.repository}=${source.path}: the clone is shallow and its history of ${branch} starts ${oldest ? `on ${oldest.committedAt.slice(0, 10)}` : "nowhere"}, not before ${from}: run git fetch --unshallow in it`,
      );
    histories.push({ repository: source.repository, branch, ref, commits });
  }
  return histories;
}

/**
 * The first-parent log of `ref`, parsed as git writes it: a decade of history is hundreds of
 * thousands of commits, whose whole output (and simple-git's copy of it) would take hundreds of
 * megabytes before the first one was read. Each commit keeps copies of its own strings, with the
 * names and addresses that repeat shared, and none keeps the output's text alive.
 */
function readLog(dir: string, ref: string): Promise<BranchCommit[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["log", "--first-parent", "--no-color", FORMAT, ref, "--"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const commits: BranchCommit[] = [];
    let pending = "";
    let problem = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      // Split only where a commit ends: a long one spread over many chunks is joined once.
      if (!chunk.includes("\x1e")) {
        pending += chunk;
        return;
      }
      const entries = (pending + chunk).split("\x1e");
      pending = entries.pop()!;
      for (const entry of entries) {
        const commit = parseEntry(entry);
        if (commit) commits.push(commit);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (problem += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`git log ${ref} failed (exit ${code}): ${problem.trim()}`));
      else {
        const last = parseEntry(pending);
        resolve(last ? [...commits, last] : commits);
      }
    });
  });
}

function parseEntry(entry: string): BranchCommit | undefined {
  const fields = entry.replace(/^\s+/, "").split("\x1f");
  if (fields.length < 5 || !/^[0-9a-f]{40,64}$/.test(fields[0]!)) return undefined;
  const [sha, date, author, email, ...subject] = fields as [
    string,
    string,
    string,
    string,
    ...string[],
  ];
  return {
    sha: ownCopy(sha),
    committedAt: new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z"),
    author: sharedCopy(author),
    ...(email ? { authorEmail: sharedCopy(email) } : {}),
    subject: ownCopy(subject.join("\x1f").trim()),
  };
}
