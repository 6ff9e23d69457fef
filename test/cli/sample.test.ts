import { createHash } from "node:crypto";
import { access, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative as relativePath, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentDigest } from "../../src/core/digest.js";
import { runDemo } from "../../src/dev/demo/run-demo.js";
import { DEMO_POLICY } from "../../src/dev/demo/story.js";
import { runCli } from "../helpers/capture.js";
import { tempDir } from "../helpers/temp-dir.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";

/** Every file under a folder, as paths relative to it with forward slashes, sorted. */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relativePath(dir, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

let root: string;
/** The evidence repository the App's end-to-end path leaves (npm run demo). */
let demo: string;
/** The same, plus a record whose pull-request title and URL are hostile. */
let hostile: string;
let demoIds: string[];

const HOSTILE_TITLE =
  '<script>alert("pwned")</script> & <img src=x onerror=alert(1)> [link](javascript:x)';

interface SampleJson {
  seed: string;
  size: { requested: number; taken: number; basis: string; frequency?: string };
  population: { size: number; period: { from: string; to: string } | null };
  allTaken: boolean;
  items: Array<{ rank: number; key: string; id: string; exception?: { type: string } }>;
  packets?: { folder: string; files: string[] };
}

const sample = async (dir: string, ...args: string[]) => {
  const result = await runCli("sample", dir, "--format", "json", ...args);
  expect(result.code, result.stderr).toBe(0);
  return { ...result, json: JSON.parse(result.stdout) as SampleJson };
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "soc2-sample-"));
  demo = join(root, "demo");
  await runDemo({ dir: demo, out: () => {}, now: steppingClock(TEST_NOW.toISOString()) });
  const changes = join(demo, "evidence/changes");
  demoIds = (await readdir(changes, { recursive: true }))
    .filter((f) => f.endsWith(".yml"))
    .map((f) => `changes/${f.replace(/\\/g, "/").replace(/\.yml$/, "")}`);
  expect(demoIds).toHaveLength(3);

  hostile = join(root, "hostile");
  await cp(demo, hostile, { recursive: true });
  const content = {
    repository: { id: 2001, full_name: "acme/api" },
    change: {
      type: "pull-request",
      number: 66,
      title: HOSTILE_TITLE,
      url: "javascript:alert(document.cookie)",
      author: { id: 3001, login: "mallory", type: "User" },
      base_ref: "main",
      merged_sha: "b".repeat(40),
      merge_method: "squash",
      merged_at: "2026-03-02T10:00:00Z",
    },
    commits: [
      {
        sha: "c".repeat(40),
        message: "</td></tr></table><script>alert(2)</script>",
        author: { name: "<b>Mallory</b>" },
        committer: { name: "Mallory" },
      },
    ],
    reviews: [],
    checks: [],
    verdict: {
      result: "fail",
      evaluated_at: "2026-03-02T10:00:01Z",
      rules: [{ rule: "required-approvals", result: "fail", reason: "<i>nobody</i> approved" }],
    },
    exception: { type: "bypass", reason: "merged <u>anyway</u>" },
  };
  await mkdir(join(hostile, "evidence/changes/acme/api/2026/03"), { recursive: true });
  await writeFile(
    join(hostile, "evidence/changes/acme/api/2026/03/pr-66.yml"),
    stringify({
      version: 1,
      kind: "change-record",
      id: "changes/acme/api/2026/03/pr-66",
      controls: ["CHG-01"],
      recorded_at: "2026-03-02T10:00:02Z",
      source: { type: "cli", name: "sample test" },
      digest: contentDigest(content),
      content,
    }),
  );
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("soc2 sample --seed 7 --size 2 over the demo's evidence", () => {
  it("gives the same two items on every run: the two lowest SHA-256(seed:id) keys", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => sample(demo, "--seed", "7", "--size", "2")));
    const ids = runs.map((r) => r.json.items.map((i) => i.id));
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    const expected = demoIds
      .map((id) => ({ id, key: createHash("sha256").update(`7:${id}`).digest("hex") }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, 2);
    expect(runs[0]!.json.items.map((i) => ({ id: i.id, key: i.key }))).toEqual(expected);
    expect(runs[0]!.json.population.size).toBe(3);
    expect(runs[0]!.json.allTaken).toBe(false);

    const text = await runCli("sample", demo, "--seed", "7", "--size", "2");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Sample of 2 from a population of 3 change(s)");
    expect(text.stdout).toContain("seed: 7; size: --size 2");
    expect(text.stdout).toContain('SHA-256("<seed>:<record id>")');
    for (const { id } of expected) expect(text.stdout).toContain(id);
    expect((await runCli("sample", demo, "--seed", "7", "--size", "2")).stdout).toBe(text.stdout);
  });

  it("gives a different sample for another seed when the choice allows it", async () => {
    const seeds = ["1", "2", "3", "4", "5", "6", "7", "8"];
    const firsts = new Set<string>();
    for (const seed of seeds)
      firsts.add((await sample(demo, "--seed", seed, "--size", "1")).json.items[0]!.id);
    expect(firsts.size).toBeGreaterThan(1);
  });

  it("sizes by frequency and takes every item, saying so, when the population is smaller", async () => {
    expect((await sample(demo, "--seed", "7", "--frequency", "quarterly")).json.items).toHaveLength(
      2,
    );
    expect((await sample(demo, "--seed", "7", "--frequency", "annually")).json.items).toHaveLength(
      1,
    );
    const all = await sample(demo, "--seed", "7", "--frequency", "per-occurrence");
    expect(all.json.size).toMatchObject({ requested: 25, taken: 3, frequency: "per-occurrence" });
    expect(all.json.allTaken).toBe(true);
    expect(all.stderr).toContain(
      "the population has 3 change(s), no more than the 25 asked for: every one is taken",
    );
    const text = await runCli("sample", demo, "--seed", "7", "--frequency", "weekly");
    expect(text.stdout).toContain("every change: the population is no larger than the size");
  });

  it("samples the period and repository asked for", async () => {
    const march = await sample(
      hostile,
      "--seed",
      "7",
      "--size",
      "5",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
    );
    expect(march.json.items.map((i) => i.id)).toEqual(["changes/acme/api/2026/03/pr-66"]);
    const web = await sample(hostile, "--seed", "7", "--size", "5", "--repo", "acme/web");
    expect(web.json.items.map((i) => i.id).sort()).toEqual([...demoIds].sort());
    const none = await sample(
      demo,
      "--seed",
      "7",
      "--size",
      "2",
      "--from",
      "2020-01-01",
      "--to",
      "2020-12-31",
    );
    expect(none.json.items).toEqual([]);
    expect(none.stderr).toContain("the population is empty");
  });
});

describe("soc2 sample --out (evidence packets)", () => {
  it("makes each packet self-contained: no link leaves its folder, and re-performing needs nothing else", async () => {
    // An evidence repository whose soc2.yml is the policy the verdicts applied.
    const matching = join(await tempDir(), "matching");
    await cp(demo, matching, { recursive: true });
    await writeFile(join(matching, "soc2.yml"), DEMO_POLICY);
    const drawn = join(await tempDir(), "packets");
    await sample(matching, "--seed", "7", "--frequency", "per-occurrence", "--out", drawn);
    // Moved elsewhere, as an auditor files it in working papers: nothing may point back.
    const out = join(await tempDir(), "working-papers", "sample");
    await cp(drawn, out, { recursive: true });
    const files = await filesIn(out);
    expect(files).toContain("policy/soc2.yml");
    const pages = files.filter((f) => f.endsWith(".md") || f.endsWith(".html"));
    expect(pages).toHaveLength(8);
    for (const page of pages) {
      const text = await readFile(join(out, page), "utf8");
      const links = [
        ...[...text.matchAll(/\]\(<?([^)>\s]+)>?\)/g)].map((m) => m[1]!),
        ...[...text.matchAll(/\shref="([^"]+)"/g)].map((m) => m[1]!),
      ].filter((href) => !/^https?:\/\//.test(href) && !href.startsWith("#"));
      expect(links.length, page).toBeGreaterThan(0);
      for (const href of links) {
        const target = decodeURIComponent(href.replace(/&amp;/g, "&"));
        expect(target, `${page}: ${href}`).not.toMatch(/^(\/|[a-z]+:)/i);
        const path = resolve(out, dirname(page), target);
        expect(relativePath(out, path), `${page}: ${href}`).not.toMatch(/^\.\./);
        await expect(access(path), `${page}: ${href}`).resolves.toBeUndefined();
      }
    }

    // The packet's own commands, run on the moved folder, re-perform the recorded verdict and
    // the record's digest.
    const pr1 = await readFile(
      join(
        out,
        files.find((f) => f.endsWith("-acme-web-pr-1.md"))!,
      ),
      "utf8",
    );
    const [, facts, config] = /soc2 evaluate (\S+) --config (\S+)/.exec(pr1)!;
    expect(config).toBe("policy/soc2.yml");
    const evaluated = await runCli(
      "evaluate",
      join(out, facts!),
      "--config",
      join(out, config!),
      "--format",
      "json",
    );
    const verdict = JSON.parse(evaluated.stdout) as { result: string; policy_digest: string };
    const recordFile = /soc2 digest (\S+)/.exec(pr1)![1]!;
    const record = parse(await readFile(join(out, recordFile), "utf8")) as {
      digest: string;
      content: { verdict: { result: string; policy_digest: string } };
    };
    expect(verdict.result).toBe(record.content.verdict.result);
    expect(verdict.policy_digest).toBe(record.content.verdict.policy_digest);
    const digest = await runCli("digest", join(out, recordFile));
    expect(digest.stdout).toContain(record.digest);
  });

  it("says where to get the policy, by digest and base commit, when the packet cannot hold it", async () => {
    // The demo's verdicts applied acme/web's soc2.yml, which the evidence repository does not hold.
    const out = join(await tempDir(), "packets");
    await sample(demo, "--seed", "7", "--frequency", "per-occurrence", "--out", out);
    const files = await filesIn(out);
    expect(files.filter((f) => f.startsWith("policy/"))).toEqual([]);
    const pr1 = await readFile(
      join(
        out,
        files.find((f) => f.endsWith("-acme-web-pr-1.md"))!,
      ),
      "utf8",
    );
    const record = parse(
      await readFile(
        join(
          out,
          files.find((f) => f.endsWith("-acme-web-pr-1.record.yml"))!,
        ),
        "utf8",
      ),
    ) as { content: { verdict: { policy_digest: string }; facts: { base: { sha: string } } } };
    expect(pr1).toContain("not in this packet");
    expect(pr1).toContain(record.content.verdict.policy_digest);
    expect(pr1).toContain(
      `git -C <clone> show ${record.content.facts.base.sha}:soc2.yml > soc2.yml`,
    );
  });

  it("writes a Markdown and an HTML packet per item, an index, and each pull request's facts", async () => {
    const out = join(await tempDir(), "packets");
    const { json, stderr } = await sample(
      demo,
      "--seed",
      "7",
      "--frequency",
      "per-occurrence",
      "--out",
      out,
    );
    const files = await filesIn(out);
    expect(files).toEqual(json.packets!.files);
    expect(stderr).toContain(`wrote ${files.length} file(s)`);
    expect(files.filter((f) => f.endsWith(".md"))).toHaveLength(4);
    expect(files.filter((f) => f.endsWith(".html"))).toHaveLength(4);
    expect(files.filter((f) => f.endsWith(".facts.json"))).toHaveLength(2);
    // Each change record itself. The demo's verdicts applied acme/web's own soc2.yml, not the
    // evidence repository's: see below for a packet that holds the policy.
    expect(files.filter((f) => f.endsWith(".record.yml"))).toHaveLength(3);

    const index = await readFile(join(out, "index.md"), "utf8");
    expect(index).toContain("| seed | `7` |");
    expect(index).toContain("| population | 3 change(s) |");
    expect(index).toMatch(/\| period \(merge date, UTC\) \| \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \|/);
    expect(index).toContain(
      "| selection method | each item of the population gets the key SHA-256",
    );
    expect(index).toContain("every item is taken");
    expect(await readFile(join(out, "index.html"), "utf8")).toContain(
      "<td>population</td><td>3 change(s)</td>",
    );

    const pr1 = files.find((f) => f.endsWith("-acme-web-pr-1.md"))!;
    const packet = await readFile(join(out, pr1), "utf8");
    expect(packet).toContain("# Sample item");
    expect(packet).toMatch(/\| approved commit = merged head \| yes: bob approved [0-9a-f]{7} \|/);
    expect(packet).toMatch(
      /\| content digest \(re-computed now\) \| `sha256:[0-9a-f]{64}` matches \|/,
    );
    expect(packet).toMatch(/\| chain link \| sequence \d+, previous `sha256:[0-9a-f]{64}` \|/);
    expect(packet).toContain("Re-performed now from the embedded facts");
    expect(packet).toContain("**pass** (the same as recorded)");
    // Every relative link of the packet resolves from the packet folder (see also below).
    for (const [, href] of packet.matchAll(/\]\(<([^>]+)>\)/g)) {
      if (/^https?:/.test(href!)) continue;
      await expect(access(resolve(out, decodeURIComponent(href!)))).resolves.toBeUndefined();
    }

    // The packet's own instructions re-run the verdict: soc2 evaluate on the facts file, with the
    // policy fetched first (acme/web's soc2.yml, the demo's DEMO_POLICY).
    const command = /soc2 evaluate (\S+) --config (\S+)/.exec(packet)!;
    expect(command[2]).toBe("soc2.yml");
    await writeFile(join(out, "soc2.yml"), DEMO_POLICY);
    const evaluated = await runCli(
      "evaluate",
      resolve(out, command[1]!),
      "--config",
      resolve(out, command[2]!),
    );
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/Change management: PASS/);

    const push = await readFile(
      join(
        out,
        files.find((f) => f.includes("-push-") && f.endsWith(".md"))!,
      ),
      "utf8",
    );
    expect(push).toContain("Exception (direct-push):");
    expect(push).toContain("a direct push has no facts snapshot");
  });

  it("escapes pull-request text in HTML and Markdown, and loads nothing from outside", async () => {
    const out = join(await tempDir(), "packets");
    await sample(hostile, "--seed", "x", "--size", "1", "--repo", "acme/api", "--out", out);
    const html = await readFile(join(out, "01-acme-api-pr-66.html"), "utf8");
    const index = await readFile(join(out, "index.html"), "utf8");
    for (const page of [html, index]) {
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toMatch(/<img/i);
      expect(page).not.toMatch(/href="javascript:/i);
      expect(page).not.toMatch(/<[^>]*\s(src|onerror)=/i);
      expect(page).not.toMatch(/<link\b/i);
      expect(page).toContain("Content-Security-Policy");
    }
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;",
    );
    expect(html).toContain(
      "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
    );
    expect(html).toContain("&lt;i&gt;nobody&lt;/i&gt; approved");
    expect(html).toContain('<tr class="flag">');

    const md = await readFile(join(out, "01-acme-api-pr-66.md"), "utf8");
    // Every < and [ of the record's text is backslash-escaped: nothing becomes a tag or a link.
    expect(md).not.toMatch(/(^|[^\\])<(script|img|b>|i>|u>|\/)/im);
    expect(md).not.toMatch(/(^|[^\\])\[link/im);
    expect(md).toContain("\\<script\\>");
    expect(md).toContain("\\[link\\](javascript:x)");
  });
});

describe("soc2 sample usage errors (exit 2)", () => {
  it("needs exactly one of --size and --frequency, a valid size and frequency, and a seed", async () => {
    for (const args of [
      ["--seed", "7"],
      ["--seed", "7", "--size", "2", "--frequency", "weekly"],
      ["--seed", "7", "--size", "0"],
      ["--seed", "7", "--size", "two"],
      ["--seed", "7", "--frequency", "hourly"],
      ["--seed", " ", "--size", "2"],
      ["--seed", "7", "--size", "2", "--from", "2026-13-01"],
      ["--seed", "7", "--size", "2", "--from", "2026-03-31", "--to", "2026-03-01"],
      ["--size", "2"],
    ]) {
      const result = await runCli("sample", demo, ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout, args.join(" ")).toBe("");
    }
  });

  it("refuses to write packets into a folder that is not empty", async () => {
    const out = await tempDir();
    await writeFile(join(out, "notes.txt"), "mine");
    const result = await runCli("sample", demo, "--seed", "7", "--size", "1", "--out", out);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not empty/);
  });
});
