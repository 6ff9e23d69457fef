import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import type { GitHubClient } from "../github/client.js";
import { githubFileNames } from "./read-folder.js";

/**
 * Whether the evidence repository already holds a record, by id: read once per folder from the
 * branch the store writes to. It only spares the reconciler work (collecting the facts of a change
 * already recorded) and tells a dry run what is missing; the store itself still answers `exists`
 * for a record another writer stored in the meantime.
 */
export interface RecordLookup {
  has(id: string): Promise<boolean>;
  close(): Promise<void>;
}

const folderOf = (id: string) => id.slice(0, Math.max(0, id.lastIndexOf("/")));
const nameOf = (id: string) => id.slice(id.lastIndexOf("/") + 1);

/** Caches each folder's record names (ids without the folder) for the lookup's lifetime. */
function byFolder(
  list: (folder: string) => Promise<Set<string>>,
  close: () => Promise<void> = async () => {},
): RecordLookup {
  const folders = new Map<string, Promise<Set<string>>>();
  return {
    async has(id) {
      const folder = folderOf(id);
      let names = folders.get(folder);
      if (!names) folders.set(folder, (names = list(folder)));
      return (await names).has(nameOf(id));
    },
    close,
  };
}

const recordName = (file: string) => /^(.+)\.ya?ml$/.exec(file)?.[1];

/** Records in a GitHub repository, one contents listing per folder (GET …/contents/{folder}?ref=). */
export function githubRecordLookup(
  client: GitHubClient,
  target: { repository: string; branch: string; path: string },
): RecordLookup {
  return byFolder(async (folder) => {
    const files = await githubFileNames(
      client,
      target.repository,
      target.branch,
      `${target.path}/${folder}`,
    );
    return new Set(files.map(recordName).filter((n): n is string => n !== undefined));
  });
}

/**
 * Records on a git branch: the branch of the remote (or of the store's local repository, when it
 * has none) is fetched, tip only, into a private temporary repository, so the store's working copy
 * is never touched while it writes.
 */
export async function gitRecordLookup(target: {
  dir: string;
  remote?: string;
  branch: string;
  path: string;
}): Promise<RecordLookup> {
  const source = target.remote ?? target.dir;
  const scratch = await mkdtemp(join(tmpdir(), "soc2-reconcile-"));
  const close = () => rm(scratch, { recursive: true, force: true });
  const git = simpleGit({ baseDir: scratch });
  await git.raw(["init", "--quiet", "--bare"]);
  let fetched = false;
  if (target.remote !== undefined || existsSync(target.dir)) {
    try {
      await git.raw(["fetch", "--quiet", "--depth=1", source, `+refs/heads/${target.branch}:refs/heads/tip`]);
      fetched = true;
    } catch (error) {
      // No such branch yet (nothing recorded), or no repository in the folder: no records.
      if (!/couldn't find remote ref|not a git repository|does not appear to be a git repository/i.test(String(error))) {
        await close();
        throw error;
      }
    }
  }
  return byFolder(async (folder) => {
    if (!fetched) return new Set<string>();
    const out = await git.raw(["ls-tree", "--name-only", `tip:${target.path}/${folder}`]).catch(() => "");
    return new Set(
      out
        .split("\n")
        .map((f) => recordName(f.trim()))
        .filter((n): n is string => n !== undefined),
    );
  }, close);
}
