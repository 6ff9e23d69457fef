import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { simpleGit } from "simple-git";
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/core/yaml-source.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import {
  mergedPullRequest,
  storyPerTest,
  withCliEnv,
  type Story,
} from "../support/reconcile-story.js";

// soc2 reconcile reading merges through GraphQL: a backfill lists 100 merged pull requests a
// query and reads the ones the evidence lacks 50 a query, with the policy and CODEOWNERS at their
// bases, and records exactly what reading each one with REST records.

const newStory = storyPerTest();

const reconcile = (s: Story, env: Record<string, string> = {}, ...args: string[]) =>
  withCliEnv({ ...s.cliEnv, ...env }, () =>
    runCliAt(TEST_NOW, "reconcile", "--repo", "acme/web", "--since", "2026-01-01", ...args),
  );

/** Every change record of the evidence folder: id → the whole parsed record. */
async function records(dir: string): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  const root = join(dir, "evidence", "changes");
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith(".yml")) continue;
    const path = relative(join(dir, "evidence"), join(e.parentPath, e.name));
    out.set(path, parseYaml(path, await readFile(join(e.parentPath, e.name), "utf8")).value);
  }
  return out;
}

/** `count` merges no webhook told the App about: every third one unapproved, some squashed. */
function unseenMerges(s: Story, count: number) {
  return Array.from({ length: count }, (_, i) =>
    mergedPullRequest(
      s.web,
      { author: s.alice, ...(i % 3 === 2 ? {} : { reviewer: s.bob }), by: s.bob },
      `src/file-${i}.ts`,
      i % 4 === 1 ? "squash" : "merge",
    ),
  );
}

describe("soc2 reconcile through GraphQL", () => {
  it("reads a backfill of 150 merges with 5 queries, no request per pull request", async () => {
    const s = await newStory();
    const merges = unseenMerges(s, 150);
    const before = s.gh.requests.length;

    // A dry run reads and judges every merge as a real run does, and writes nothing.
    const run = await reconcile(s, {}, "--dry-run");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "150 without a record (dry run: nothing written), 0 already recorded",
    );
    const asked = s.gh.requests.slice(before);
    const graphql = asked.filter((r) => r.route === "/graphql");
    // Two pages of the listing (100 and 50), three reads of 50 merges each.
    expect(graphql).toHaveLength(5);
    const perPullRequest = asked.filter((r) =>
      /\/pulls\/\d+|\/commits\/|\/compare\/|\/contents\//.test(r.path),
    );
    expect(perPullRequest).toEqual([]);
    expect(asked.length / merges.length).toBeLessThanOrEqual(0.1);
    s.checker.assertClean();
  });

  it("records each merge exactly as reading it alone with REST does", async () => {
    const s = await newStory();
    unseenMerges(s, 12);
    const git = simpleGit(s.evidence);
    const start = (await git.revparse(["HEAD"])).trim();

    expect((await reconcile(s, { GITHUB_API: "rest" })).code).toBe(0);
    const viaRest = await records(s.evidence);
    expect(viaRest.size).toBe(12);

    // The same window again, from the same empty evidence, through GraphQL.
    await git.raw(["reset", "--quiet", "--hard", start]);
    await git.raw(["clean", "-fdq"]);
    expect((await records(s.evidence).catch(() => new Map())).size).toBe(0);
    expect((await reconcile(s)).code).toBe(0);
    const viaGraphQL = await records(s.evidence);
    expect([...viaGraphQL.keys()].sort()).toEqual([...viaRest.keys()].sort());
    for (const [id, record] of viaRest) expect(viaGraphQL.get(id), id).toEqual(record);
  });

  it("a second run reads nothing again, and finds what the first missed", async () => {
    const s = await newStory();
    unseenMerges(s, 12);
    expect((await reconcile(s)).code).toBe(0);
    const later = unseenMerges(s, 2);
    const before = s.gh.requests.length;

    const again = await reconcile(s, {}, "--json");
    expect(again.code).toBe(0);
    const changes = (JSON.parse(again.stdout) as { changes: { status: string; ref: string }[] })
      .changes;
    expect(changes.filter((c) => c.status === "recorded").map((c) => c.ref)).toEqual(
      later.map((pr) => `#${pr.number}`),
    );
    expect(changes.filter((c) => c.status === "exists")).toHaveLength(12);
    // The listing, and one read of the two new merges.
    expect(s.gh.requests.slice(before).filter((r) => r.route === "/graphql")).toHaveLength(2);
  });
});
