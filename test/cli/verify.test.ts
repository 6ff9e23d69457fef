import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesDigest, contentDigest } from "../../src/core/digest.js";
import { recordDigest } from "../../src/core/evidence/chain.js";
import { parseYaml } from "../../src/core/yaml-source.js";
import { runDemo } from "../../src/dev/demo/run-demo.js";
import { runCli } from "../helpers/capture.js";
import { dayOf, gitAt, steppingClock, TEST_NOW } from "../helpers/clock.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

/**
 * Every case starts from the evidence repository the App's end-to-end path leaves (`npm run demo`:
 * the real webhook server, a GitHub API stand-in, eight hash-chained records, one commit each),
 * copied with its git history, then tampered with the way someone with write access could.
 */
let demoRoot: string;
let demo: string;
/** The demo's story and every later commit run on this clock, whatever today is. */
const clock = steppingClock(TEST_NOW.toISOString());
/** The month folder the demo's records land in. */
const month = TEST_NOW.toISOString().slice(0, 7).replace("-", "/");

beforeAll(async () => {
  demoRoot = await mkdtemp(join(tmpdir(), "soc2-verify-demo-"));
  demo = join(demoRoot, "evidence-repo");
  await runDemo({ dir: demo, out: () => undefined, now: clock });
}, 120_000);

afterAll(async () => {
  if (demoRoot) await rm(demoRoot, { recursive: true, force: true });
});

async function copyDemo(): Promise<string> {
  const dir = join(await tempDir("soc2-verify-"), "evidence-repo");
  await cp(demo, dir, { recursive: true });
  return dir;
}

const HEAD_PATH = "evidence/chain-head.json";

/** Record paths (from the repository root) by chain sequence. */
async function chainPaths(dir: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const entries = await readdir(join(dir, "evidence"), { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith(".yml")) continue;
    const path = relative(dir, join(e.parentPath, e.name)).split("\\").join("/");
    const value = parseYaml(path, await readFile(join(dir, path), "utf8")).value as {
      chain?: { sequence: number };
    };
    if (value.chain) out.set(value.chain.sequence, path);
  }
  return out;
}

const read = (dir: string, path: string) => readFile(join(dir, path), "utf8");
const write = (dir: string, path: string, text: string) => writeTree(dir, { [path]: text });
const valueOf = (path: string, text: string) =>
  parseYaml(path, text).value as Record<string, unknown>;

/** Replaces the record's content digest with the digest of its (edited) content. */
function resealContent(path: string, text: string): string {
  const digest = contentDigest(valueOf(path, text).content);
  return text.replace(/^digest: sha256:[0-9a-f]{64}$/m, `digest: ${digest}`);
}

/** Adds the digest of a new record's content, as `soc2 digest --write` does. */
function resealAttestation(text: string): string {
  return text.replace(
    "content:",
    `digest: ${contentDigest(valueOf("x.yml", text).content)}\ncontent:`,
  );
}

async function commit(dir: string, message: string): Promise<void> {
  await gitAt(dir, clock()).add(["-A", "."]).commit(message);
}

/** Points chain-head.json at the record at `path`, as the store would. */
async function rewriteHead(dir: string, path: string): Promise<void> {
  const value = valueOf(path, await read(dir, path));
  const head = {
    sequence: (value.chain as { sequence: number }).sequence,
    record: value.id,
    path,
    digest: recordDigest(value),
  };
  await write(dir, HEAD_PATH, JSON.stringify(head, null, 2) + "\n");
}

/** An ISO timestamp `hours` before the given one, in the store's format. */
const hoursBefore = (at: string, hours: number) =>
  new Date(Date.parse(at) - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The identity the demo's App commits evidence as (its git store's author). */
const APP = "soc2-as-code App (demo) <app@localhost>";
const WRITERS = `chain committed by: ${APP} (8 record(s), unsigned)\n`;

/** The finding lines: after the summary and the line naming who committed the chain. */
function findingLines(stdout: string): string[] {
  return stdout
    .trimEnd()
    .split("\n")
    .slice(1)
    .filter((l) => !l.startsWith("chain committed by: "));
}

/** The problems reported for one path, from the text output's `path: problem: message` lines. */
function problemsAt(stdout: string, path: string): string[] {
  return findingLines(stdout)
    .filter((l) => l.startsWith(`${path}: `))
    .map((l) => l.slice(path.length + 2).split(":")[0]!)
    .sort();
}

describe("soc2 verify on the evidence the App recorded", () => {
  it("exits 0 on the untouched repository, with a one-line summary", async () => {
    const result = await runCli("verify", demo);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      "8 records, chain of 8 intact, 0 unchained checked by digest\n" + WRITERS,
    );
    expect(result.code).toBe(0);
  });

  it("names a record whose content was edited and committed", async () => {
    const dir = await copyDemo();
    const path = (await chainPaths(dir)).get(7)!;
    expect(path).toBe(`evidence/changes/acme/web/${month}/pr-2.yml`);
    const text = await read(dir, path);
    await write(dir, path, text.replace("title: Hotfix the login page", "title: Planned work"));
    await commit(dir, "edit a record");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")[0]).toMatch(
      /^8 records, chain of 8, 0 unchained checked by digest: \d+ finding\(s\): evidence was changed, deleted, inserted or back-dated$/,
    );
    expect(problemsAt(result.stdout, path)).toEqual([
      "digest-mismatch",
      "link-mismatch",
      "record-modified",
    ]);
    expect(result.stdout).toMatch(
      new RegExp(
        `^${path}: digest-mismatch: its content hashes to sha256:[0-9a-f]{64}, not to its digest sha256:[0-9a-f]{64}: the content was changed after the record was written$`,
        "m",
      ),
    );
  });

  it("names a record edited in the working tree without a commit", async () => {
    const dir = await copyDemo();
    const path = (await chainPaths(dir)).get(7)!;
    const text = await read(dir, path);
    await write(dir, path, text.replace("title: Hotfix the login page", "title: Planned work"));

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, path)).toEqual([
      "digest-mismatch",
      "link-mismatch",
      "uncommitted-change",
    ]);
  });

  it("names a record deleted with git rm and a commit, and the gap it leaves", async () => {
    const dir = await copyDemo();
    const paths = await chainPaths(dir);
    const deleted = paths.get(4)!;
    await simpleGit(dir).rm(deleted);
    await commit(dir, "remove a review");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, deleted)).toEqual(["record-deleted"]);
    expect(result.stdout).toContain(
      `${paths.get(5)!}: sequence-missing: record 4 of the chain is missing (between ${paths.get(3)!} and ${paths.get(5)!})`,
    );
  });

  it("names a record whose recorded_at was back-dated", async () => {
    const dir = await copyDemo();
    const path = (await chainPaths(dir)).get(5)!;
    const text = await read(dir, path);
    const at = /^recorded_at: "(.+)"$/m.exec(text)![1]!;
    // recorded_at is outside the content digest: resealing changes nothing, only the chain shows it.
    await write(
      dir,
      path,
      resealContent(
        path,
        text.replace(`recorded_at: "${at}"`, `recorded_at: "${hoursBefore(at, 30)}"`),
      ),
    );
    await commit(dir, "back-date a record");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, path)).toEqual([
      "committed-after-recorded",
      "link-mismatch",
      "out-of-order",
      "record-modified",
    ]);
  });

  it("names the last record back-dated with the head rewritten to match", async () => {
    const dir = await copyDemo();
    const path = (await chainPaths(dir)).get(8)!;
    const text = await read(dir, path);
    const at = /^recorded_at: "(.+)"$/m.exec(text)![1]!;
    await write(
      dir,
      path,
      text.replace(`recorded_at: "${at}"`, `recorded_at: "${hoursBefore(at, 30)}"`),
    );
    await rewriteHead(dir, path);
    await commit(dir, "back-date the last record");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, path)).toEqual([
      "committed-after-recorded",
      "out-of-order",
      "record-modified",
    ]);
    expect(problemsAt(result.stdout, HEAD_PATH)).toEqual([]);
  });

  it("names a record appended later with an earlier recorded_at, correctly linked", async () => {
    const dir = await copyDemo();
    const last = (await chainPaths(dir)).get(8)!;
    const template = (await chainPaths(dir)).get(4)!;
    const head = JSON.parse(await read(dir, HEAD_PATH)) as { digest: string };
    const lastAt = /^recorded_at: "(.+)"$/m.exec(await read(dir, last))![1]!;
    const id = "reviews/acme/web/pr-1/2000000009-submitted-inserted";
    const path = `evidence/${id}.yml`;
    const text = (await read(dir, template))
      .replace(/^id: .*$/m, `id: ${id}`)
      .replace(/^recorded_at: .*$/m, `recorded_at: "${hoursBefore(lastAt, 6)}"`)
      .replace(/^ {2}sequence: \d+$/m, "  sequence: 9")
      .replace(/^ {2}previous: .*$/m, `  previous: ${head.digest}`);
    await write(dir, path, text);
    await rewriteHead(dir, path);
    await commit(dir, "add a record after the fact");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, path)).toEqual(["committed-after-recorded", "out-of-order"]);
  });

  it("names a change record claiming the App wrote it but with no chain link, in verify and validate", async () => {
    const dir = await copyDemo();
    const template = (await chainPaths(dir)).get(7)!;
    const id = `changes/acme/web/${month}/pr-99`;
    const path = `evidence/${id}.yml`;
    const text = (await read(dir, template))
      .replace(/^id: .*$/m, `id: ${id}`)
      .replace(/^chain:\n {2}sequence: \d+\n {2}previous: .*\n/m, "");
    expect(text).not.toContain("chain:");
    expect(text).toContain("type: github-app");
    await write(dir, path, text);
    await commit(dir, "file a change record by hand");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(findingLines(result.stdout)).toEqual([
      `${path}: unchained-record: has no chain link, but it claims the GitHub App wrote it (source.type: github-app) and the App links every record it writes into the hash chain: it was filed by hand or its link removed, and nothing shows it was not inserted`,
    ]);

    const validation = await runCli("validate", dir);
    expect(validation.code).toBe(1);
    const line = text.split("\n").findIndex((l) => l === "  type: github-app") + 1;
    expect(validation.stdout).toContain(
      `${path}:${line}:9: error: this change-record record has no chain link`,
    );
    expect(validation.stdout).toContain("[evidence-unchained]");
  });

  describe("a record appended at the end, with chain-head.json rewritten to match", () => {
    /** Appends a correctly linked record 9 and a matching head, committed by `committer`. */
    async function forgeAppend(dir: string, committer: { name: string; email: string }) {
      const paths = await chainPaths(dir);
      const last = paths.get(8)!;
      const head = JSON.parse(await read(dir, HEAD_PATH)) as { digest: string };
      const lastAt = /^recorded_at: "(.+)"$/m.exec(await read(dir, last))![1]!;
      const id = `changes/acme/web/${month}/pr-77`;
      const path = `evidence/${id}.yml`;
      const text = (await read(dir, paths.get(7)!))
        .replace(/^id: .*$/m, `id: ${id}`)
        .replace(/^recorded_at: .*$/m, `recorded_at: "${lastAt}"`)
        .replace(/^ {2}sequence: \d+$/m, "  sequence: 9")
        .replace(/^ {2}previous: .*$/m, `  previous: ${head.digest}`);
      await write(dir, path, text);
      await rewriteHead(dir, path);
      const when = Date.parse(lastAt) / 1000;
      await gitAt(dir, new Date(when * 1000)).add(["-A", "."]);
      await gitAt(dir, new Date(when * 1000)).raw([
        "-c",
        `user.name=${committer.name}`,
        "-c",
        `user.email=${committer.email}`,
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        "evidence: change-record (forged)",
      ]);
      return path;
    }

    it("is not detectable from the chain alone, but shows who committed it", async () => {
      const dir = await copyDemo();
      await forgeAppend(dir, { name: "Mallory", email: "mallory@acme.example" });
      const result = await runCli("verify", dir);
      // The chain and the head agree: nothing in the records shows the forgery.
      expect(findingLines(result.stdout)).toEqual([]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `chain committed by: ${APP} (8 record(s), unsigned); Mallory <mallory@acme.example> (1 record(s), unsigned)`,
      );
    });

    it("is named when the commit's committer is not the App's identity (--app-identity)", async () => {
      const dir = await copyDemo();
      const path = await forgeAppend(dir, { name: "Mallory", email: "mallory@acme.example" });
      const result = await runCli("verify", dir, "--app-identity", APP);
      expect(result.code).toBe(1);
      expect(findingLines(result.stdout)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${path}: committer-unexpected: was added by commit [0-9a-f]{40}, committed by Mallory <mallory@acme\\.example>, not by the App \\(soc2-as-code App \\(demo\\) <app@localhost>, from --app-identity\\): someone else wrote it into the chain$`,
          ),
        ),
      ]);
      expect(result.stdout.split("\n")[0]).toContain(
        `, committers checked (${APP}, from the command line)`,
      );
      // An email alone matches any name; a wrong name does not.
      expect((await runCli("verify", dir, "--app-identity", "app@localhost")).code).toBe(1);
      expect((await runCli("verify", demo, "--app-identity", "app@localhost")).code).toBe(0);
      expect((await runCli("verify", demo, "--app-identity", "Someone <app@localhost>")).code).toBe(
        1,
      );
    });

    it("is named from evidence.writer in soc2.yml, and an unsigned commit where the App's are signed", async () => {
      const dir = await copyDemo();
      const path = await forgeAppend(dir, { name: "Mallory", email: "mallory@acme.example" });
      const program = await read(dir, "soc2.yml");
      await write(
        dir,
        "soc2.yml",
        program.replace(
          /^evidence:\n/m,
          `evidence:\n  writer:\n    committers: ["${APP}"]\n    signed: true\n`,
        ),
      );
      expect(await read(dir, "soc2.yml")).toContain("writer:");
      const result = await runCli("verify", dir, "--format", "json");
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as {
        findings: Array<{ problem: string; path: string; message: string }>;
        expectedWriter: unknown;
      };
      expect(report.expectedWriter).toEqual({ committers: [APP], signed: true, from: "soc2.yml" });
      const problems = report.findings.map((f) => `${f.path} ${f.problem}`);
      // The demo's git store does not sign: every record's commit is named, the forged one twice.
      expect(problems.filter((p) => p.endsWith("commit-unsigned"))).toHaveLength(9);
      expect(problems.filter((p) => p.endsWith("committer-unexpected"))).toEqual([
        `${path} committer-unexpected`,
      ]);
      expect(report.findings.find((f) => f.problem === "committer-unexpected")?.message).toContain(
        "from evidence.writer in soc2.yml",
      );
    });

    it("tells a signed commit from an unsigned one offline (--require-signed)", async () => {
      const dir = await copyDemo();
      const path = await forgeAppend(dir, {
        name: "soc2-as-code App (demo)",
        email: "app@localhost",
      });
      // Give the forged commit a signature header, as GitHub's signed commits carry.
      const git = simpleGit({ baseDir: dir });
      const raw = await git.raw(["cat-file", "commit", "HEAD"]);
      const signed = raw.replace(
        /^(committer .*)$/m,
        "$1\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n wsBcBAABCAAQBQJnotreal\n -----END PGP SIGNATURE-----",
      );
      const object = join(dir, "..", "signed-commit");
      await writeTree(join(dir, ".."), { "signed-commit": signed });
      const sha = (await git.raw(["hash-object", "-t", "commit", "-w", object])).trim();
      await git.raw(["update-ref", "HEAD", sha]);

      const result = await runCli("verify", dir, "--require-signed", "--app-identity", APP);
      expect(result.code).toBe(1);
      const unsigned = findingLines(result.stdout).filter((l) => l.includes(": commit-unsigned: "));
      // The demo's eight commits are unsigned; the forged one carries a signature, so it passes
      // here: only `git log --show-signature` with GitHub's key, or an anchor, shows it.
      expect(unsigned).toHaveLength(8);
      expect(unsigned.some((l) => l.startsWith(`${path}: `))).toBe(false);
      expect(result.stdout).toContain(`${APP} (9 record(s), 1 signed)`);
    });
  });

  it("refuses an --app-identity that is not Name <email> or an email", async () => {
    const result = await runCli("verify", demo, "--app-identity", "the App");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--app-identity "the App" is not an identity');
  });

  it("names a record inserted in the middle of the chain", async () => {
    const dir = await copyDemo();
    const original = (await chainPaths(dir)).get(4)!;
    const id = "reviews/acme/web/pr-1/2000000003-submitted-inserted";
    const path = `evidence/${id}.yml`;
    await write(dir, path, (await read(dir, original)).replace(/^id: .*$/m, `id: ${id}`));
    await commit(dir, "insert a record");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, path)).toEqual(["sequence-duplicate"]);
    expect(result.stdout).toContain(
      `${path}: sequence-duplicate: claims place 4 in the chain, like ${original}: the chain links to the other record, so this one was inserted`,
    );
  });

  it("names chain-head.json when it was tampered with", async () => {
    const dir = await copyDemo();
    const head = JSON.parse(await read(dir, HEAD_PATH)) as { digest: string };
    await write(
      dir,
      HEAD_PATH,
      (await read(dir, HEAD_PATH)).replace(head.digest, `sha256:${"0".repeat(64)}`),
    );
    await commit(dir, "edit the head");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(findingLines(result.stdout)).toEqual([
      expect.stringMatching(
        /^evidence\/chain-head\.json: head-mismatch: holds digest sha256:0{64}, but record 8 \(.+\) hashes to sha256:[0-9a-f]{64}: that record was changed after it was written$/,
      ),
    ]);
  });

  it("names a record edited with its digest recomputed: the next link breaks", async () => {
    const dir = await copyDemo();
    const paths = await chainPaths(dir);
    const path = paths.get(5)!;
    const text = await read(dir, path);
    await write(
      dir,
      path,
      resealContent(
        path,
        text.replace(
          'title: "PAY-101: round overtime to the minute"',
          'title: "PAY-101: a smaller change"',
        ),
      ),
    );
    await commit(dir, "edit and reseal a record");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, path)).toEqual(["link-mismatch", "record-modified"]);
    expect(result.stdout).toContain(`${path}: link-mismatch: hashes to sha256:`);
    expect(result.stdout).toContain(`but the next record (${paths.get(6)!}) was written after`);
  });

  it("names a record edited inside a merge commit, with every later link and the head rewritten", async () => {
    const dir = await copyDemo();
    const paths = await chainPaths(dir);
    const last = Math.max(...paths.keys());
    const git = simpleGit(dir);
    await git.checkoutLocalBranch("unrelated");
    await write(dir, "notes.md", "unrelated\n");
    await commit(dir, "an unrelated change");
    await git.checkout("main");
    // Start a merge, edit the last record and reseal it, point the head at it, and commit it all
    // as the merge.
    await gitAt(dir, clock()).raw(["merge", "--no-ff", "--no-commit", "unrelated"]);
    const path = paths.get(last)!;
    await write(
      dir,
      path,
      resealContent(path, (await read(dir, path)).replace(/pushed 1 commit/, "pushed 0 commits")),
    );
    await rewriteHead(dir, path);
    await git.add(["-A", "."]);
    await gitAt(dir, clock()).commit("Merge branch 'unrelated'");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, path)).toContain("record-modified");
  });

  it("does not count edits made inside a merged pull request before its record landed", async () => {
    const dir = await copyDemo();
    const git = simpleGit(dir);
    const record = "evidence/attestations/2026/late-review.yml";
    const attestation = (summary: string) =>
      [
        "version: 1",
        "kind: attestation",
        "id: attestations/2026/late-review",
        "controls: [CHG-01]",
        `recorded_at: "${clock()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z")}"`,
        "source: { type: manual, name: Carol Lead }",
        "content:",
        "  title: Retrospective review of the unreviewed hotfix",
        `  performed_at: "${dayOf(clock())}"`,
        "  performed_by: { name: Carol Lead }",
        `  summary: ${summary}`,
        "  result: no-exceptions",
        `  sign_off: [{ name: Carol Lead, role: Head of Engineering, signed_on: "${dayOf(clock())}" }]`,
        "",
      ].join("\n");
    await git.checkoutLocalBranch("attestation");
    await write(dir, record, resealAttestation(attestation("Reviewd the hotfix after merge.")));
    await commit(dir, "add an attestation");
    await write(
      dir,
      record,
      resealAttestation(attestation("Reviewed the hotfix after merge; it is fine.")),
    );
    await commit(dir, "fix a typo in the new attestation");
    await git.checkout("main");
    await gitAt(dir, clock()).raw([
      "merge",
      "--no-ff",
      "-m",
      "Merge pull request #3 from attestation",
      "attestation",
    ]);

    const result = await runCli("verify", dir);
    expect(result.stdout).not.toContain("record-modified");
    expect(result.code).toBe(0);
  });

  it("checks records people file outside the chain by their digest, and their attachments", async () => {
    const dir = await copyDemo();
    const attachment = "evidence/attachments/2026-q4-users.csv";
    await write(dir, attachment, "login,role\nalice,admin\nbob,member\n");
    const attachmentDigest = bytesDigest(await readFile(join(dir, attachment)));
    const record = (id: string, title: string, digestLine?: string) => {
      const text = `version: 1
kind: attestation
id: ${id}
controls: [ACC-04]
recorded_at: "2026-10-03T16:20:00Z"
source: { type: manual, name: Sam Okafor }
digest: DIGEST
content:
  title: ${title}
  performed_at: "2026-10-02"
  performed_by: { name: Sam Okafor }
  summary: Reviewed every account against the HR roster.
  result: no-exceptions
  sign_off: [{ name: Sam Okafor, role: Head of Security, signed_on: "2026-10-02" }]
  attachments:
    - path: ${attachment}
      digest: "${attachmentDigest}"
`;
      const path = `evidence/${id}.yml`;
      return digestLine === undefined
        ? resealContent(path, text.replace("DIGEST", `sha256:${"0".repeat(64)}`))
        : text.replace("digest: DIGEST\n", digestLine);
    };
    await write(dir, "evidence/attestations/q4.yml", record("attestations/q4", "Q4 access review"));
    await commit(dir, "file the Q4 access review");

    const clean = await runCli("verify", dir);
    expect(clean.stdout).toBe(
      "9 records, chain of 8 intact, 1 unchained checked by digest, 1 attachment(s) checked\n" +
        WRITERS,
    );
    expect(clean.code).toBe(0);

    // Edit the attestation, swap the attachment, and add a record with no digest at all.
    const q4 = await read(dir, "evidence/attestations/q4.yml");
    await write(dir, "evidence/attestations/q4.yml", q4.replace("Q4 access review", "Q4 review"));
    await write(dir, attachment, "login,role\nalice,admin\n");
    await write(dir, "evidence/attestations/bare.yml", record("attestations/bare", "Unsealed", ""));
    await commit(dir, "tamper with people's records");

    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, "evidence/attestations/q4.yml")).toEqual([
      "digest-mismatch",
      "record-modified",
    ]);
    expect(problemsAt(result.stdout, attachment)).toEqual([
      "attachment-mismatch",
      "attachment-mismatch",
    ]);
    expect(problemsAt(result.stdout, "evidence/attestations/bare.yml")).toEqual(["digest-missing"]);
    expect(result.stdout).toContain(
      `${attachment}: attachment-mismatch: attached to evidence/attestations/bare.yml, hashes to`,
    );
  });

  it("never reads an attachment through a folder that is a symbolic link", async () => {
    const dir = await copyDemo();
    const outside = await tempDir("soc2-verify-outside-");
    await writeTree(outside, { "x.csv": "login\nalice\n" });
    const attachmentDigest = bytesDigest(await readFile(join(outside, "x.csv")));
    await mkdir(join(dir, "evidence/attachments"), { recursive: true });
    await symlink(outside, join(dir, "evidence/attachments/linked"));
    const text = `version: 1
kind: attestation
id: attestations/linked
controls: [ACC-04]
recorded_at: "2026-10-03T16:20:00Z"
source: { type: manual, name: Sam Okafor }
digest: sha256:${"0".repeat(64)}
content:
  title: Linked attachment
  performed_at: "2026-10-02"
  performed_by: { name: Sam Okafor }
  summary: An attachment behind a linked folder.
  result: no-exceptions
  sign_off: [{ name: Sam Okafor, role: Head of Security, signed_on: "2026-10-02" }]
  attachments:
    - path: evidence/attachments/linked/x.csv
      digest: "${attachmentDigest}"
`;
    await write(
      dir,
      "evidence/attestations/linked.yml",
      resealContent("evidence/attestations/linked.yml", text),
    );
    await commit(dir, "file an attestation whose attachment sits behind a link");
    const result = await runCli("verify", dir);
    expect(result.code).toBe(1);
    expect(problemsAt(result.stdout, "evidence/attachments/linked/x.csv")).toEqual([
      "attachment-missing",
    ]);
  });

  it("holds anchors noted earlier, and reports one that no longer holds", async () => {
    const head = JSON.parse(await read(demo, HEAD_PATH)) as { sequence: number; digest: string };
    const held = await runCli("verify", demo, "--anchor", `${head.sequence}:${head.digest}`);
    expect(held.stdout).toBe(
      "8 records, chain of 8 intact, 0 unchained checked by digest, 1 anchor(s) held\n" + WRITERS,
    );
    expect(held.code).toBe(0);

    const broken = await runCli("verify", demo, "--anchor", `3:sha256:${"1".repeat(64)}`);
    expect(broken.code).toBe(1);
    expect(findingLines(broken.stdout)).toEqual([
      expect.stringMatching(
        /: anchor-mismatch: hashes to sha256:[0-9a-f]{64}, not sha256:1{64} as noted outside the repository: the chain was rewritten from here on$/,
      ),
    ]);
  });

  it("gives JSON with the counts, the head and every finding", async () => {
    const clean = await runCli("verify", demo, "--format", "json");
    expect(clean.code).toBe(0);
    const report = JSON.parse(clean.stdout) as Record<string, unknown>;
    expect(report).toEqual({
      ok: true,
      records: 8,
      chained: 8,
      unchained: [],
      attachments: 0,
      head: {
        sequence: 8,
        record: expect.stringMatching(/^changes\/acme\/web\/\d{4}\/\d{2}\/push-[0-9a-f]+$/),
        path: expect.stringMatching(/^evidence\/changes\//),
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
      anchors: [],
      history: true,
      writers: [{ committer: APP, records: 8, signed: 0 }],
      findings: [],
    });

    const dir = await copyDemo();
    const path = (await chainPaths(dir)).get(8)!;
    await rm(join(dir, path));
    const tampered = await runCli("verify", dir, "-f", "json");
    expect(tampered.code).toBe(1);
    const json = JSON.parse(tampered.stdout) as { ok: boolean; findings: unknown[] };
    expect(json.ok).toBe(false);
    expect(json.findings).toContainEqual({
      problem: "uncommitted-change",
      path,
      message: expect.stringMatching(/^was deleted in the working tree/),
    });
    expect(json.findings).toContainEqual({
      problem: "sequence-missing",
      path: HEAD_PATH,
      sequence: 8,
      message: expect.stringContaining("record 8 of the chain is missing"),
    });
  });

  it("exits 2 on a missing folder, a folder with no evidence, and a malformed anchor", async () => {
    const missing = await runCli("verify", join(demoRoot, "nowhere"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere does not exist/);

    const empty = await tempDir("soc2-verify-empty-");
    const notEvidence = await runCli("verify", empty);
    expect(notEvidence.code).toBe(2);
    expect(notEvidence.stderr).toMatch(
      /is not an evidence repository: it has no evidence\/ folder/,
    );

    const anchor = await runCli("verify", demo, "--anchor", "head:sha256:abc");
    expect(anchor.code).toBe(2);
    expect(anchor.stderr).toMatch(/--anchor "head:sha256:abc" is not <sequence>:<digest>/);
  });
});
