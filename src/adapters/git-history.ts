import { stat } from "node:fs/promises";
import { simpleGit } from "simple-git";
import type { BranchCommit, BranchHistory } from "../core/audit/completeness.js";
import { globMatcher } from "../core/change-management/globs.js";

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
    const output = await git.raw(["log", "--first-parent", "--no-color", FORMAT, ref, "--"]);
    const commits = parseLog(output);
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

function parseLog(output: string): BranchCommit[] {
  const commits: BranchCommit[] = [];
  for (const entry of output.split("\x1e")) {
    const fields = entry.replace(/^\s+/, "").split("\x1f");
    if (fields.length < 5 || !/^[0-9a-f]{40,64}$/.test(fields[0]!)) continue;
    const [sha, date, author, email, ...subject] = fields as [
      string,
      string,
      string,
      string,
      ...string[],
    ];
    commits.push({
      sha,
      committedAt: new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z"),
      author,
      ...(email ? { authorEmail: email } : {}),
      subject: subject.join("\x1f").trim(),
    });
  }
  return commits;
}
