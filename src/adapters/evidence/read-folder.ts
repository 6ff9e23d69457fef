import { existsSync } from "node:fs";
import { simpleGit } from "simple-git";
import { parse } from "yaml";
import type { GitHubClient } from "../github/client.js";
import { statusOf } from "../github/client.js";
import type { FolderSelection } from "../../core/evidence/pending-record.js";


/** Reads the records of one folder of an evidence repository, as they are on its branch. */
export type FolderReader = (folder: string, selection: FolderSelection) => Promise<unknown[]>;

/**
 * Record files are named so that their names sort by time (pull-request events start with
 * yyyymmddThhmmss): the greatest names are the newest.
 */
function chosen(names: readonly string[], selection: FolderSelection): string[] {
  return names
    .filter((n) => n.endsWith(".yml") && selection.select(n))
    .sort()
    .reverse()
    .slice(0, selection.limit);
}

/** A record's YAML, or undefined when it does not parse (it is then not evidence of anything). */
function parsed(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 0 });
  } catch {
    return undefined;
  }
}

/** From the git store's repository: what is committed on `branch`, not the working tree. */
export function gitFolderReader(dir: string, branch: string, evidencePath: string): FolderReader {
  return async (folder, selection) => {
    // The store creates its repository on its first record: until then nothing was recorded, and
    // simple-git refuses a folder that does not exist.
    if (!existsSync(dir)) return [];
    const git = simpleGit(dir);
    const path = `${evidencePath}/${folder}`;
    let listing: string;
    try {
      listing = await git.raw(["ls-tree", "--name-only", `refs/heads/${branch}:${path}`]);
    } catch {
      return []; // no such branch or folder yet: nothing recorded there
    }
    const names = chosen(listing.split("\n").filter(Boolean), selection);
    const texts = await Promise.all(
      names.map((n) => git.raw(["cat-file", "blob", `refs/heads/${branch}:${path}/${n}`])),
    );
    return texts.map(parsed).filter((v) => v !== undefined);
  };
}

/** One file or folder of a branch through the contents API; undefined when it does not exist. */
async function contentsAt(
  client: GitHubClient,
  repository: string,
  branch: string,
  path: string,
): Promise<unknown> {
  const [owner, repo] = repository.split("/");
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner,
      repo,
      path,
      ref: branch,
    });
    return response.data;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** The names of the files in a folder of a branch (one contents listing); none when it is absent. */
export async function githubFileNames(
  client: GitHubClient,
  repository: string,
  branch: string,
  folder: string,
): Promise<string[]> {
  const listing = await contentsAt(client, repository, branch, folder);
  if (!Array.isArray(listing)) return [];
  return (listing as { name?: unknown; type?: unknown }[])
    .filter((e) => e.type === "file" && typeof e.name === "string")
    .map((e) => e.name as string);
}

/** From the GitHub store's repository, through the contents API (one listing, then each file). */
export function githubFolderReader(
  client: GitHubClient,
  repository: string,
  branch: string,
  evidencePath: string,
): FolderReader {
  return async (folder, selection) => {
    const path = `${evidencePath}/${folder}`;
    const names = chosen(await githubFileNames(client, repository, branch, path), selection);
    const files = await Promise.all(
      names.map((n) => contentsAt(client, repository, branch, `${path}/${n}`)),
    );
    return files
      .map((f) => f as { content?: unknown; encoding?: unknown } | undefined)
      .filter((f) => f?.encoding === "base64" && typeof f.content === "string")
      .map((f) => parsed(Buffer.from(String(f!.content), "base64").toString("utf8")))
      .filter((v) => v !== undefined);
  };
}
