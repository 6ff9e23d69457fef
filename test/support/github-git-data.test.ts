import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  hashObject,
  startGitHubStandIn,
  type GitHubStandIn,
} from "../../src/dev/github-stand-in/index.js";
import { createOpenApiChecker, type OpenApiChecker } from "./github-openapi.js";
import { client } from "./github-scenario.js";
import { tempDir } from "../helpers/temp-dir.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let request: ReturnType<typeof client>;
let installationToken: string;

beforeEach(async () => {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  gh.state.addRepository({
    owner: "acme",
    name: "evidence",
    files: { "README.md": "# evidence\n" },
  });
  gh.state.addRepository({ owner: "acme", name: "empty", empty: true });
  gh.state.addInstallation({ id: 7, account: "acme" });
  const minted = await client(
    gh,
    "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
  )("POST /app/installations/7/access_tokens");
  installationToken = minted.data.token;
  request = client(gh, installationToken);
});

afterEach(async () => {
  await gh.close();
  // Every request these tests send on purpose is valid, and so is every answer.
  checker.assertClean();
});

const hasGit = (() => {
  try {
    execFileSync("git", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();

function git(
  cwd: string,
  args: string[],
  input?: string,
  env: Record<string, string> = {},
): string {
  return execFileSync("git", args, { cwd, input, env: { ...process.env, ...env } })
    .toString()
    .trim();
}

async function blob(content: string, encoding?: string): Promise<string> {
  const response = await request("POST /repos/acme/evidence/git/blobs", {
    body: { content, ...(encoding ? { encoding } : {}) },
  });
  expect(response.status).toBe(201);
  return response.data.sha;
}

async function head(): Promise<{ commit: string; tree: string }> {
  const ref = await request("/repos/acme/evidence/git/ref/heads/main");
  const commit = ref.data.object.sha as string;
  const tree = (await request(`/repos/acme/evidence/git/commits/${commit}`)).data.tree
    .sha as string;
  return { commit, tree };
}

describe("blobs", () => {
  test("hash like git, from utf-8 or base64 content, and read back", async () => {
    const sha = await blob("héllo\n");
    expect(sha).toBe(hashObject("blob", Buffer.from("héllo\n")));
    expect(await blob(Buffer.from("héllo\n").toString("base64"), "base64")).toBe(sha);
    const read = await request(`/repos/acme/evidence/git/blobs/${sha}`);
    expect(Buffer.from(read.data.content, "base64").toString("utf8")).toBe("héllo\n");
    expect(read.data).toMatchObject({ encoding: "base64", size: 7 });
  });

  test.skipIf(!hasGit)("match git hash-object", async () => {
    const dir = await tempDir();
    git(dir, ["init", "-q"]);
    expect(await blob("evidence record\n")).toBe(
      git(dir, ["hash-object", "--stdin"], "evidence record\n"),
    );
  });

  test("require content (422)", async () => {
    const response = await client(gh, installationToken)("POST /repos/acme/evidence/git/blobs", {
      body: {},
    });
    expect(response.status).toBe(422);
    checker.violations.length = 0; // the missing content is the point of this test
  });
});

describe("trees", () => {
  test("build on a base tree, nest paths, delete with sha null, and list recursively", async () => {
    const base = await head();
    const a = await blob("a\n");
    const created = await request("POST /repos/acme/evidence/git/trees", {
      body: {
        base_tree: base.tree,
        tree: [
          { path: "evidence/2026/01/a.json", mode: "100644", type: "blob", sha: a },
          { path: "evidence/2026/01/b.json", mode: "100644", type: "blob", content: "b\n" },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.data.tree.map((e: { path: string }) => e.path)).toEqual([
      "README.md",
      "evidence",
    ]);
    const recursive = await request(
      `/repos/acme/evidence/git/trees/${created.data.sha}?recursive=1`,
    );
    expect(
      recursive.data.tree.map((e: { path: string; type: string }) => `${e.type} ${e.path}`),
    ).toEqual([
      "blob README.md",
      "tree evidence",
      "tree evidence/2026",
      "tree evidence/2026/01",
      "blob evidence/2026/01/a.json",
      "blob evidence/2026/01/b.json",
    ]);
    const deleted = await request("POST /repos/acme/evidence/git/trees", {
      body: {
        base_tree: created.data.sha,
        tree: [{ path: "evidence/2026/01/a.json", mode: "100644", type: "blob", sha: null }],
      },
    });
    const after = await request(`/repos/acme/evidence/git/trees/${deleted.data.sha}?recursive=1`);
    expect(after.data.tree.map((e: { path: string }) => e.path)).not.toContain(
      "evidence/2026/01/a.json",
    );
    expect(after.data.tree.map((e: { path: string }) => e.path)).toContain(
      "evidence/2026/01/b.json",
    );
    const gone = await request("POST /repos/acme/evidence/git/trees", {
      body: {
        base_tree: deleted.data.sha,
        tree: [{ path: "evidence/2026/01/b.json", mode: "100644", type: "blob", sha: null }],
      },
    });
    expect(gone.data.sha).toBe(base.tree); // empty directories vanish, as in git
  });

  test("reject unknown objects and base trees (422)", async () => {
    const bad = await request("POST /repos/acme/evidence/git/trees", {
      body: { tree: [{ path: "x", mode: "100644", type: "blob", sha: "1".repeat(40) }] },
    });
    expect(bad.status).toBe(422);
    const badBase = await request("POST /repos/acme/evidence/git/trees", {
      body: { base_tree: "2".repeat(40), tree: [] },
    });
    expect(badBase.status).toBe(422);
  });

  test.skipIf(!hasGit)("hash like git mktree, commits like git commit-tree", async () => {
    const dir = await tempDir();
    git(dir, ["init", "-q"]);
    const one = await blob("one\n");
    const two = await blob("two\n");
    git(dir, ["hash-object", "-w", "--stdin"], "one\n");
    git(dir, ["hash-object", "-w", "--stdin"], "two\n");
    const tree = await request("POST /repos/acme/evidence/git/trees", {
      body: {
        tree: [
          { path: "z.txt", mode: "100644", type: "blob", sha: one },
          { path: "a/b.txt", mode: "100644", type: "blob", sha: two },
          { path: "a.txt", mode: "100644", type: "blob", sha: two },
        ],
      },
    });
    const sub = git(dir, ["mktree"], `100644 blob ${two}\tb.txt\n`);
    const root = git(
      dir,
      ["mktree"],
      `100644 blob ${two}\ta.txt\n040000 tree ${sub}\ta\n100644 blob ${one}\tz.txt\n`,
    );
    expect(tree.data.sha).toBe(root);

    const who = { name: "Evidence Bot", email: "bot@example.com", date: "2026-02-03T04:05:06Z" };
    const commit = await request("POST /repos/acme/evidence/git/commits", {
      body: { message: "Record evidence\n", tree: root, parents: [], author: who, committer: who },
    });
    expect(commit.status).toBe(201);
    const expected = git(dir, ["commit-tree", root], "Record evidence\n", {
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_AUTHOR_DATE: "1770091506 +0000",
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
      GIT_COMMITTER_DATE: "1770091506 +0000",
    });
    expect(commit.data.sha).toBe(expected);
  });
});

describe("commits and refs", () => {
  async function commitFile(
    path: string,
    content: string,
    parent: { commit: string; tree: string },
  ) {
    const tree = await request("POST /repos/acme/evidence/git/trees", {
      body: { base_tree: parent.tree, tree: [{ path, mode: "100644", type: "blob", content }] },
    });
    const commit = await request("POST /repos/acme/evidence/git/commits", {
      body: { message: `Add ${path}`, tree: tree.data.sha, parents: [parent.commit] },
    });
    return { commit: commit.data.sha as string, tree: tree.data.sha as string, data: commit.data };
  }

  test("an installation's commits are made by the App's bot and verified", async () => {
    const made = await commitFile("a.json", "{}\n", await head());
    expect(made.data.verification).toMatchObject({ verified: true, reason: "valid" });
    expect(made.data.author).toMatchObject({ name: "soc2-as-code[bot]" });
    const read = await request(`/repos/acme/evidence/git/commits/${made.commit}`);
    expect(read.data).toEqual(made.data);
    const byUser = await client(gh, "ghp_someone")("POST /repos/acme/evidence/git/commits", {
      body: { message: "m", tree: made.tree, parents: [] },
    });
    expect(byUser.data.verification).toMatchObject({ verified: false, reason: "unsigned" });
  });

  test("fast-forward updates move the branch; others are refused unless forced", async () => {
    const start = await head();
    const first = await commitFile("a.json", "{}\n", start);
    const ff = await request("PATCH /repos/acme/evidence/git/refs/heads%2Fmain", {
      body: { sha: first.commit },
    });
    expect(ff.status).toBe(200);
    expect(ff.data).toMatchObject({
      ref: "refs/heads/main",
      object: { sha: first.commit, type: "commit" },
    });
    const sibling = await commitFile("b.json", "{}\n", start);
    const refused = await request("PATCH /repos/acme/evidence/git/refs/heads/main", {
      body: { sha: sibling.commit },
    });
    expect(refused.status).toBe(422);
    expect(refused.data.message).toBe("Update is not a fast forward");
    expect((await head()).commit).toBe(first.commit);
    const forced = await request("PATCH /repos/acme/evidence/git/refs/heads/main", {
      body: { sha: sibling.commit, force: true },
    });
    expect(forced.status).toBe(200);
    expect((await head()).commit).toBe(sibling.commit);
  });

  test("of two writers racing from the same parent, exactly one wins", async () => {
    const start = await head();
    const [a, b] = await Promise.all([
      commitFile("a.json", "a\n", start),
      commitFile("b.json", "b\n", start),
    ]);
    const results = await Promise.all(
      [a, b].map((c) =>
        request("PATCH /repos/acme/evidence/git/refs/heads/main", { body: { sha: c.commit } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
  });

  test("refs are created once; bad parents and trees are refused", async () => {
    const start = await head();
    const created = await request("POST /repos/acme/evidence/git/refs", {
      body: { ref: "refs/heads/records", sha: start.commit },
    });
    expect(created.status).toBe(201);
    const again = await request("POST /repos/acme/evidence/git/refs", {
      body: { ref: "refs/heads/records", sha: start.commit },
    });
    expect(again.data.message).toBe("Reference already exists");
    expect((await request("/repos/acme/evidence/git/ref/heads/records")).data.object.sha).toBe(
      start.commit,
    );
    expect((await request("/repos/acme/evidence/git/ref/heads/nothing")).status).toBe(404);
    const badParent = await request("POST /repos/acme/evidence/git/commits", {
      body: { message: "m", tree: start.tree, parents: ["3".repeat(40)] },
    });
    expect(badParent.status).toBe(422);
    const badTree = await request("POST /repos/acme/evidence/git/commits", {
      body: { message: "m", tree: "4".repeat(40) },
    });
    expect(badTree.status).toBe(422);
    const missingRef = await request("PATCH /repos/acme/evidence/git/refs/heads/nothing", {
      body: { sha: start.commit },
    });
    expect(missingRef.data.message).toBe("Reference does not exist");
  });

  test("an empty repository has no refs (409) until the first commit", async () => {
    const empty = await request("/repos/acme/empty/git/ref/heads/main");
    expect(empty.status).toBe(409);
    expect(empty.data.message).toBe("Git Repository is empty.");
    const put = await request("PUT /repos/acme/empty/contents/first.json", {
      body: { message: "First record", content: Buffer.from("{}\n").toString("base64") },
    });
    expect(put.status).toBe(201);
    expect(put.data.commit.parents).toEqual([]);
    expect((await request("/repos/acme/empty/git/ref/heads/main")).data.object.sha).toBe(
      put.data.commit.sha,
    );
  });
});

describe("contents", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");

  test("PUT creates (201), then updates only with the current blob sha (200, 409, 422)", async () => {
    const path = "/repos/acme/evidence/contents/evidence%2Fchange%2F1.json";
    const created = await request(`PUT ${path}`, {
      body: { message: "Record #1", content: b64("v1\n") },
    });
    expect(created.status).toBe(201);
    expect(created.data.content).toMatchObject({
      path: "evidence/change/1.json",
      sha: hashObject("blob", Buffer.from("v1\n")),
    });
    expect(created.data.commit.verification.verified).toBe(true);

    const again = await request(`PUT ${path}`, {
      body: { message: "Again", content: b64("v2\n") },
    });
    expect(again.status).toBe(422);
    const stale = await request(`PUT ${path}`, {
      body: { message: "Stale", content: b64("v2\n"), sha: "5".repeat(40) },
    });
    expect(stale.status).toBe(409);
    const updated = await request(`PUT ${path}`, {
      body: { message: "Update", content: b64("v2\n"), sha: created.data.content.sha },
    });
    expect(updated.status).toBe(200);
    expect(updated.data.commit.parents[0].sha).toBe(created.data.commit.sha);

    const read = await request(`${path}?ref=main`);
    expect(Buffer.from(read.data.content, "base64").toString()).toBe("v2\n");
    const old = await request(`${path}?ref=${created.data.commit.sha}`);
    expect(Buffer.from(old.data.content, "base64").toString()).toBe("v1\n");
    const dir = await request("/repos/acme/evidence/contents/evidence");
    expect(dir.data).toEqual([expect.objectContaining({ type: "dir", path: "evidence/change" })]);
    expect(gh.state.repository("acme/evidence").readFile("evidence/change/1.json")).toBe("v2\n");
  });

  test("PUT honours branch, author and committer; commits?path= and branches/{branch} see it", async () => {
    await request("POST /repos/acme/evidence/git/refs", {
      body: { ref: "refs/heads/records", sha: (await head()).commit },
    });
    const who = { name: "Recorder", email: "recorder@example.com", date: "2026-02-01T10:00:00Z" };
    const put = await request("PUT /repos/acme/evidence/contents/r.json", {
      body: { message: "On a branch", content: b64("{}\n"), branch: "records", committer: who },
    });
    expect(put.data.commit).toMatchObject({ author: who, committer: who });
    expect(
      (
        await request("PUT /repos/acme/evidence/contents/r.json", {
          body: { message: "x", content: "", branch: "nope" },
        })
      ).status,
    ).toBe(404);

    const history = await request("/repos/acme/evidence/commits?sha=records&path=r.json");
    expect(history.data.map((c: { sha: string }) => c.sha)).toEqual([put.data.commit.sha]);
    expect((await request("/repos/acme/evidence/commits?sha=records")).data).toHaveLength(2);
    const branch = await request("/repos/acme/evidence/branches/records");
    expect(branch.data).toMatchObject({
      name: "records",
      protected: false,
      commit: { sha: put.data.commit.sha },
    });
    expect((await request("/repos/acme/evidence/branches/nope")).status).toBe(404);
  });
});
