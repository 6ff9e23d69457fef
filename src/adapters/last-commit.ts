import { simpleGit } from "simple-git";

/**
 * When the latest commit of the checkout at `dir` was made (ISO 8601, UTC), or undefined when
 * `dir` is not in a git work tree (or git cannot say). An export dated by its commit is the same
 * file whenever it is made from that commit.
 */
export async function lastCommitTime(dir: string): Promise<string | undefined> {
  try {
    const out = (await simpleGit(dir).raw(["log", "-1", "--format=%cI", "--", "."])).trim();
    const ms = Date.parse(out);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  } catch {
    return undefined;
  }
}
