import { spawn } from "node:child_process";

/**
 * The text of each path that exists at `commit`, read with one `git cat-file --batch` (a git
 * process per file took most of an append's time). Paths missing at the commit are left out.
 * Spawned here rather than through simple-git, which gives a command no standard input.
 */
export function readBlobs(dir: string, commit: string, paths: readonly string[]): Promise<Map<string, string>> {
  if (paths.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let problem = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (problem += chunk.toString("utf8")));
    child.on("error", reject);
    child.stdin.on("error", () => {}); // git exited early: its exit code says why
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`git cat-file --batch failed (exit ${code}): ${problem.trim()}`));
        return;
      }
      try {
        resolve(parseBatch(Buffer.concat(out), paths));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.stdin.end(paths.map((path) => `${commit}:${path}\n`).join(""));
  });
}

/** `<sha> <type> <size>\n<contents>\n` per object, or `<name> missing\n`, in the order asked. */
function parseBatch(output: Buffer, paths: readonly string[]): Map<string, string> {
  const blobs = new Map<string, string>();
  let at = 0;
  for (const path of paths) {
    const end = output.indexOf(0x0a, at);
    if (end < 0) throw new Error(`git cat-file --batch stopped before ${path}`);
    const header = output.toString("utf8", at, end);
    at = end + 1;
    if (header.endsWith(" missing")) continue;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) throw new Error(`git cat-file --batch answered "${header}" for ${path}`);
    const size = Number(match[2]);
    if (match[1] === "blob") blobs.set(path, output.toString("utf8", at, at + size));
    at += size + 1;
  }
  return blobs;
}
