import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { simpleGit } from "simple-git";
import { parse, stringify } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readEvidenceChain } from "../../src/adapters/evidence/read-chain.js";
import { GitHubEvidenceStore } from "../../src/adapters/evidence/github-store.js";
import { planEvidenceIndexes } from "../../src/cli/commands/index-evidence.js";
import { contentDigest } from "../../src/core/digest.js";
import {
  buildIndexes,
  indexEntry,
  indexFilesFor,
  INDEX_START,
  updateIndexes,
  type IndexEntry,
} from "../../src/core/evidence/indexes.js";
import { verifyChain } from "../../src/core/evidence/verify-chain.js";
import { runDemo } from "../../src/dev/demo/run-demo.js";
import { filesAt, startStand, type Stand } from "../adapters/evidence/github-helpers.js";
import { changeRecord, pullRequestEvent, reviewEvent } from "../core/evidence/samples.js";
import { runCli } from "../helpers/capture.js";
import { tempDir } from "../helpers/temp-dir.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";

const root = new URL("../../", import.meta.url).pathname;

/** Every file under a folder, as paths relative to `base`, sorted. */
async function filesUnder(base: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(base, folder), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(base.length + 1))
    .sort();
}

/** The Markdown files the indexes consist of. */
const indexFiles = async (dir: string) => [
  "evidence/README.md",
  ...(await filesUnder(dir, "evidence/index")),
];

const recordFiles = async (dir: string) =>
  (await filesUnder(dir, "evidence")).filter((p) => p.endsWith(".yml"));

/** Relative link targets of a Markdown file, resolved from the repository root. */
function links(path: string, text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => posix.normalize(posix.join(posix.dirname(path), decodeURIComponent(href))));
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe("the evidence indexes of the repository the demo leaves", () => {
  let base: string;
  let dir: string;
  let scaffoldReadme: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "soc2-index-demo-"));
    dir = join(base, "evidence-repo");
    await runDemo({ dir, out: () => {}, now: steppingClock(TEST_NOW.toISOString()) });
    const log = await simpleGit(dir).log();
    scaffoldReadme = await simpleGit(dir).show([`${log.all.at(-1)!.hash}:evidence/README.md`]);
  }, 60_000);

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("were written by the App's store in the commit of each record", async () => {
    const git = simpleGit(dir);
    const log = await git.log();
    const records = log.all.filter((c) => c.message.startsWith("evidence:"));
    expect(records).toHaveLength(8);
    for (const [n, commit] of [...records].reverse().entries()) {
      const changed = (await git.raw(["show", "--name-only", "--format=", commit.hash]))
        .split("\n")
        .filter(Boolean);
      const record = changed.filter((p) => p.endsWith(".yml"));
      expect(record).toHaveLength(1);
      expect(changed).toContain("evidence/chain-head.json");
      expect(changed).toContain("evidence/index/by-control/CHG-01.md");
      expect(
        changed.some((p) => /^evidence\/index\/by-control\/CHG-01\/\d{4}-\d{2}\.md$/.test(p)),
      ).toBe(true);
      expect(changed).toContain("evidence/index/by-repository/acme/web.md");
      expect(
        changed.some((p) => /^evidence\/index\/by-repository\/acme\/web\/\d{4}-\d{2}\.md$/.test(p)),
      ).toBe(true);
      expect(changed.some((p) => /^evidence\/index\/by-period\/\d{4}-\d{2}\.md$/.test(p))).toBe(
        true,
      );
      // The README lists periods, controls and repositories: it changes only when one is new.
      if (n === 0) expect(changed).toContain("evidence/README.md");
      // Each index gained exactly the one row of that record (a control's or a repository's page,
      // its month's count).
      const diff = await git.raw([
        "show",
        "--format=",
        "--unified=0",
        commit.hash,
        "--",
        "evidence/index",
      ]);
      const added = diff.split("\n").filter((l) => l.startsWith("+| 20"));
      const page = /^evidence\/index\/(by-control\/[^/]+|by-repository\/[^/]+\/[^/]+)\.md$/;
      expect(added.length).toBe(
        changed.filter((p) => p.startsWith("evidence/index/") && !page.test(p)).length,
      );
      expect(added.every((l) => l.includes(record[0]!.slice("evidence/".length)))).toBe(true);
    }
    // The README keeps the text soc2 init wrote, followed by the generated section.
    const readme = await readFile(join(dir, "evidence/README.md"), "utf8");
    expect(readme.startsWith(`${scaffoldReadme.trimEnd()}\n\n${INDEX_START}\n`)).toBe(true);
  });

  it("link every record from its period, control and repository index, and every link resolves", async () => {
    const records = await recordFiles(dir);
    expect(records).toHaveLength(8);
    const texts = new Map<string, string>();
    for (const path of await indexFiles(dir))
      texts.set(path, await readFile(join(dir, path), "utf8"));
    const targets = new Map<string, Set<string>>();
    for (const [path, text] of texts) {
      targets.set(path, new Set(links(path, text)));
      for (const target of links(path, text))
        expect(await exists(join(dir, target)), `${path} links ${target}`).toBe(true);
    }
    for (const path of records) {
      const value = parse(await readFile(join(dir, path), "utf8")) as Record<string, unknown>;
      const month = String(value.recorded_at).slice(0, 7);
      for (const index of [
        `evidence/index/by-period/${month}.md`,
        `evidence/index/by-control/CHG-01/${month}.md`,
        `evidence/index/by-repository/acme/web/${month}.md`,
      ])
        expect(targets.get(index)?.has(path), `${index} links ${path}`).toBe(true);
    }
    // The README links every index but a control's or a repository's months, which its page
    // links; and the chain head.
    const readmeLinks = targets.get("evidence/README.md")!;
    for (const path of texts.keys()) {
      const month =
        /^(evidence\/index\/(?:by-control\/[^/]+|by-repository\/[^/]+\/[^/]+))\/\d{4}-\d{2}\.md$/.exec(
          path,
        );
      if (month) expect(targets.get(`${month[1]}.md`)!.has(path), path).toBe(true);
      else if (path !== "evidence/README.md") expect(readmeLinks.has(path), path).toBe(true);
    }
    expect(readmeLinks.has("evidence/chain-head.json")).toBe(true);
  });

  it("are what soc2 index rebuilds from the records, byte for byte", async () => {
    const check = await runCli("index", dir, "--check");
    expect(check.stderr).toBe("✓ the indexes of 8 record(s) are current\n");
    expect(check.code).toBe(0);

    const before = new Map<string, string>();
    for (const path of await indexFiles(dir))
      before.set(path, await readFile(join(dir, path), "utf8"));
    // Back to how soc2 init left the folder: no index, its own README.
    await rm(join(dir, "evidence/index"), { recursive: true });
    await writeFile(join(dir, "evidence/README.md"), scaffoldReadme);
    expect((await runCli("index", dir, "--check")).code).toBe(1);

    const rebuilt = await runCli("index", dir);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toBe(
      `indexed 8 record(s) in evidence/: ${before.size} file(s) written, 0 already current, 0 removed\n`,
    );
    for (const [path, text] of before) expect(await readFile(join(dir, path), "utf8")).toBe(text);
    expect(await simpleGit(dir).raw(["status", "--porcelain"])).toBe("");
  });

  it("append one record at a time to the very files the full rebuild writes", async () => {
    // The records in chain order, as the store appended them.
    const chained: Array<{ sequence: number; entry: IndexEntry }> = [];
    for (const path of await recordFiles(dir)) {
      const value = parse(await readFile(join(dir, path), "utf8")) as {
        chain: { sequence: number };
      };
      const read = indexEntry(path.slice("evidence/".length), value);
      if (!read.ok) throw new Error(read.problem);
      chained.push({ sequence: value.chain.sequence, entry: read.entry });
    }
    const entries = chained.sort((a, b) => a.sequence - b.sequence).map((c) => c.entry);
    const files = new Map<string, string>([["evidence/README.md", scaffoldReadme]]);
    for (const entry of entries) {
      const existing = new Map(indexFilesFor(entry, "evidence").map((p) => [p, files.get(p)]));
      for (const f of updateIndexes({ evidencePath: "evidence", entry, existing }))
        files.set(f.path, f.text);
    }
    const full = buildIndexes({ evidencePath: "evidence", entries, readme: scaffoldReadme });
    expect(files).toEqual(new Map(full.map((f) => [f.path, f.text])));
    for (const f of full) expect(await readFile(join(dir, f.path), "utf8")).toBe(f.text);
  });

  it("leave soc2 validate and the hash chain clean", async () => {
    const validation = await runCli("validate", dir);
    expect(validation.stdout).toBe("");
    expect(validation.code).toBe(0);
    const input = await readEvidenceChain(dir, { evidencePath: "evidence" });
    expect(input.records.map((r) => r.path).every((p) => p.endsWith(".yml"))).toBe(true);
    const report = verifyChain(input);
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, chained: 8, unchained: [] });
  });

  it("catch up with records filed by people, and drop indexes no record needs", async () => {
    const copy = join(await tempDir(), "copy");
    await cp(dir, copy, { recursive: true });
    const content = {
      title: "Q4 access review | with a <b>pipe</b>",
      performed_at: "2026-01-05",
      performed_by: { name: "Sam Okafor" },
      summary: "Reviewed every account of production.",
      result: "no-exceptions",
      sign_off: [{ name: "Sam Okafor", role: "Head of Security", signed_on: "2026-01-05" }],
    };
    await mkdir(join(copy, "evidence/attestations/2026"), { recursive: true });
    await writeFile(
      join(copy, "evidence/attestations/2026/q4-access-review.yml"),
      stringify({
        version: 1,
        kind: "attestation",
        id: "attestations/2026/q4-access-review",
        controls: ["ACC-04"],
        recorded_at: "2026-01-06T09:00:00Z",
        source: { type: "manual", name: "Sam Okafor" },
        digest: contentDigest(content),
        content,
      }),
    );
    await writeFile(join(copy, "evidence/index/by-control/OLD-01.md"), "# stale\n");
    await writeFile(join(copy, "evidence/index/notes.md"), "# ours, not generated\n");
    expect((await runCli("validate", copy)).code).toBe(0);

    const check = await runCli("index", copy, "--check");
    expect(check.code).toBe(1);
    expect(check.stdout.split("\n").filter(Boolean).sort()).toEqual([
      "evidence/README.md: not current",
      "evidence/index/by-control/ACC-04.md: not current",
      "evidence/index/by-control/ACC-04/2026-01.md: not current",
      "evidence/index/by-control/OLD-01.md: no record needs it any more",
      "evidence/index/by-period/2026-01.md: not current",
    ]);
    const run = await runCli("index", copy);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^indexed 9 record\(s\) in evidence\/: 4 file\(s\) written, \d+ already current, 1 removed\n$/,
    );
    expect(await exists(join(copy, "evidence/index/by-control/OLD-01.md"))).toBe(false);
    expect(await exists(join(copy, "evidence/index/notes.md"))).toBe(true);
    const acc = await readFile(join(copy, "evidence/index/by-control/ACC-04/2026-01.md"), "utf8");
    expect(acc).toContain(
      "| 2026-01-06T09:00:00Z | - | [`attestations/2026/q4-access-review`](../../../attestations/2026/q4-access-review.yml) | attestation | [ACC-04](../ACC-04.md) |  | Q4 access review \\| with a \\<b\\>pipe\\</b\\>: no-exceptions |",
    );
    expect((await runCli("index", copy, "--check")).code).toBe(0);
    expect((await runCli("validate", copy)).code).toBe(0);
  });

  it("rebuild a repository index written before months, and drop what the old layout left", async () => {
    const copy = join(await tempDir(), "copy");
    await cp(dir, copy, { recursive: true });
    const page = "evidence/index/by-repository/acme/web.md";
    const current = new Map<string, string>();
    for (const path of await indexFiles(copy))
      current.set(path, await readFile(join(copy, path), "utf8"));
    const months = [...current.keys()].filter((p) =>
      p.startsWith("evidence/index/by-repository/acme/web/"),
    );
    expect(months.length).toBeGreaterThan(0);
    // As the version before months wrote it: every row in one file, linking from one folder up.
    const rows = months
      .flatMap((p) =>
        current
          .get(p)!
          .split("\n")
          .filter((l) => l.startsWith("| 20")),
      )
      .map((l) => l.replace(/\]\(\.\.\//g, "]("));
    await rm(join(copy, "evidence/index/by-repository/acme/web"), { recursive: true });
    await writeFile(
      join(copy, page),
      `# Evidence about acme/web\n\n| header |\n| --- |\n${rows.join("\n")}\n`,
    );
    // A repository no record is about any more.
    await writeFile(join(copy, "evidence/index/by-repository/acme/gone.md"), "# stale\n");

    const check = await runCli("index", copy, "--check");
    expect(check.code).toBe(1);
    expect(check.stdout.split("\n").filter(Boolean).sort()).toEqual(
      [
        `${page}: not current`,
        ...months.map((p) => `${p}: not current`),
        "evidence/index/by-repository/acme/gone.md: no record needs it any more",
      ].sort(),
    );
    const run = await runCli("index", copy);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`: ${months.length + 1} file\\(s\\) written, \\d+ already current, 1 removed\n$`),
    );
    expect(await exists(join(copy, "evidence/index/by-repository/acme/gone.md"))).toBe(false);
    for (const [path, text] of current) expect(await readFile(join(copy, path), "utf8")).toBe(text);
    expect((await runCli("index", copy, "--check")).code).toBe(0);
  });
});

describe("soc2 index", () => {
  it("indexes this repository's manual records (a copy), with no chain head to link", async () => {
    const copy = await tempDir();
    for (const path of ["soc2.yml", "controls", "policies", "evidence"])
      await cp(join(root, path), join(copy, path), { recursive: true });
    // The text people wrote, before the generated section (this repository's README has one).
    const own = (await readFile(join(root, "evidence/README.md"), "utf8")).split(INDEX_START)[0]!;
    const run = await runCli("index", copy);
    expect(run.code).toBe(0);
    const readme = await readFile(join(copy, "evidence/README.md"), "utf8");
    expect(readme.startsWith(`${own.trimEnd()}\n\n${INDEX_START}`)).toBe(true);
    expect(readme).not.toContain("](chain-head.json)");
    expect(readme).toContain("- [ACC-04](index/by-control/ACC-04.md)");
    const plan = await planEvidenceIndexes(copy, TEST_NOW);
    expect(plan.records).toBe((await recordFiles(copy)).length);
    expect(plan.skipped).toEqual([]);
    for (const file of plan.files) {
      expect(await readFile(join(copy, file.path), "utf8")).toBe(file.text);
      for (const target of links(file.path, file.text))
        expect(await exists(join(copy, target)), `${file.path} links ${target}`).toBe(true);
    }
    expect((await runCli("validate", copy)).code).toBe(0);
  });

  it("names records it cannot place in time, and refuses a folder that does not exist", async () => {
    const copy = await tempDir();
    for (const path of ["soc2.yml", "controls", "policies", "evidence"])
      await cp(join(root, path), join(copy, path), { recursive: true });
    const bad = join(copy, "evidence/attestations/2026/broken.yml");
    await writeFile(bad, "version: 1\nkind: attestation\nid: attestations/2026/broken\n");
    const run = await runCli("index", copy);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "evidence/attestations/2026/broken.yml: not indexed: recorded_at is missing or not a timestamp\n",
    );
    const missing = await runCli("index", join(copy, "nope"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});

describe("the GitHub store", () => {
  let stand: Stand;
  afterEach(async () => {
    await stand.gh.close();
    stand.checker.assertClean(); // tree entries with content, and the reads, match GitHub's API
  });

  it("commits the index rows with each record, and they equal a rebuild from the records", async () => {
    stand = await startStand();
    let clock = Date.parse("2026-05-31T23:59:58Z");
    const store = new GitHubEvidenceStore(stand.octokit, {
      repository: "acme/evidence",
      now: () => new Date((clock += 1000)),
      sleep: async () => {},
    });
    for (const record of [pullRequestEvent(), reviewEvent(1), changeRecord(), reviewEvent(2)])
      expect((await store.append(record)).status).toBe("written");

    const log = stand.evidence.log("main");
    expect(log).toHaveLength(5);
    // Each commit: the record, the head, and the rows of its indexes (README when something is new).
    const files = filesAt(stand.evidence);
    expect([...files.keys()].filter((p) => p.endsWith(".md"))).toEqual([
      "evidence/README.md",
      "evidence/index/by-control/CHG-01.md",
      "evidence/index/by-control/CHG-01/2026-05.md",
      "evidence/index/by-control/CHG-01/2026-06.md",
      "evidence/index/by-period/2026-05.md",
      "evidence/index/by-period/2026-06.md",
      "evidence/index/by-repository/acme-cloud/platform.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-05.md",
      "evidence/index/by-repository/acme-cloud/platform/2026-06.md",
    ]);
    const entries = [...files]
      .filter(([p]) => p.endsWith(".yml"))
      .map(([p, text]) => {
        const read = indexEntry(p.slice("evidence/".length), parse(text));
        if (!read.ok) throw new Error(read.problem);
        return read.entry;
      });
    expect(entries).toHaveLength(4);
    for (const f of buildIndexes({ evidencePath: "evidence", entries }))
      expect(files.get(f.path), f.path).toBe(f.text);
    // What the indexes cost: one contents read per index file, the first time the store needs it
    // (then it keeps the text in memory and updates it with its own commits), and no blob request:
    // every file goes into the tree inline.
    const sent = (method: string, suffix: RegExp) =>
      stand.gh.requests.filter(
        (r) => r.method === method && suffix.test(decodeURIComponent(r.path)),
      ).length;
    expect(sent("GET", /\/contents\/evidence\/(README\.md|index\/)/)).toBe(9);
    expect(sent("POST", /\/git\/blobs$/)).toBe(0);
  });

  it("keeps the indexes whole when replicas append at once: the loser rebuilds on the new tip", async () => {
    stand = await startStand();
    const replicas = [0, 1, 2].map(
      () =>
        new GitHubEvidenceStore(stand.octokit, {
          repository: "acme/evidence",
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          baseDelayMs: 2,
        }),
    );
    const results = await Promise.all(
      replicas.flatMap((r, i) => [1, 2, 3].map((n) => r.append(reviewEvent(i * 10 + n)))),
    );
    expect(results.every((r) => r.status === "written")).toBe(true);
    const files = filesAt(stand.evidence);
    const entries = [...files]
      .filter(([p]) => p.endsWith(".yml"))
      .map(([p, text]) => {
        const read = indexEntry(p.slice("evidence/".length), parse(text));
        if (!read.ok) throw new Error(read.problem);
        return read.entry;
      });
    expect(entries).toHaveLength(9);
    for (const f of buildIndexes({ evidencePath: "evidence", entries }))
      expect(files.get(f.path), f.path).toBe(f.text);
  });

  it("can be told not to keep indexes", async () => {
    stand = await startStand();
    const store = new GitHubEvidenceStore(stand.octokit, {
      repository: "acme/evidence",
      indexes: false,
      sleep: async () => {},
    });
    await store.append(reviewEvent(1));
    expect([...filesAt(stand.evidence).keys()]).toEqual([
      "evidence/chain-head.json",
      "evidence/reviews/acme-cloud/platform/2026/05/pr-42-review-1.yml",
    ]);
  });
});
