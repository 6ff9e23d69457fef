import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readBranchHistories } from "../../src/adapters/git-history.js";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);

async function commit(dir: string, subject: string, at: string, author: string): Promise<string> {
  await writeFile(join(dir, "file.txt"), subject.slice(0, 50) + at);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: author,
    GIT_AUTHOR_EMAIL: `${author.toLowerCase().replace(/\W/g, "")}@example.com`,
    GIT_COMMITTER_NAME: author,
    GIT_COMMITTER_EMAIL: "git@example.com",
    GIT_AUTHOR_DATE: at,
    GIT_COMMITTER_DATE: at,
  };
  await run("git", ["add", "file.txt"], { cwd: dir, env });
  // From a file: a message this long does not fit on a command line.
  await writeFile(join(dir, ".message"), subject);
  await run("git", ["commit", "-q", "-F", ".message"], { cwd: dir, env });
  return (await run("git", ["rev-parse", "HEAD"], { cwd: dir })).stdout.trim();
}

describe("reading a protected branch's history", () => {
  it("parses each commit whole, however git's output is cut into pieces", async () => {
    const dir = await tempDir();
    await run("git", ["init", "-q", "-b", "main", dir]);
    // Far longer than a pipe's read (64 KiB), with characters of several bytes at every length.
    const long = "Ünïcödé 🚀 ".repeat(30_000);
    const shas = [
      await commit(dir, "First: café", "2025-01-02T10:00:00Z", "Zoë Ωmega"),
      await commit(dir, long, "2025-01-03T10:00:00Z", "Dana Dev"),
      await commit(dir, "Third", "2025-01-04T10:00:00+02:00", "Dana Dev"),
    ];
    const [history] = await readBranchHistories(
      { repository: "acme/web", path: dir },
      ["main"],
      "2025-01-01",
    );
    expect(history!.ref).toBe("refs/heads/main");
    expect(history!.commits).toEqual([
      {
        sha: shas[2],
        committedAt: "2025-01-04T08:00:00Z",
        author: "Dana Dev",
        authorEmail: "danadev@example.com",
        subject: "Third",
      },
      {
        sha: shas[1],
        committedAt: "2025-01-03T10:00:00Z",
        author: "Dana Dev",
        authorEmail: "danadev@example.com",
        subject: long.trim(),
      },
      {
        sha: shas[0],
        committedAt: "2025-01-02T10:00:00Z",
        author: "Zoë Ωmega",
        authorEmail: "zomega@example.com",
        subject: "First: café",
      },
    ]);
  });
});
