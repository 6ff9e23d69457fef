import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SITE_MANIFEST } from "../../src/adapters/write-site.js";
import { runCli, runCliAt } from "../helpers/capture.js";
import { dayOf, TEST_NOW } from "../helpers/clock.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import { fixtureFiles } from "./fixture.js";

async function filesUnder(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out.set(full.slice(dir.length + 1), await readFile(full));
  }
  return out;
}

async function repository(): Promise<string> {
  const dir = await tempDir("soc2-portal-repo-");
  await writeTree(dir, fixtureFiles());
  return dir;
}

describe("soc2 portal", () => {
  it("writes the site into a new folder, with a manifest of what it wrote", async () => {
    const dir = await repository();
    const out = join(await tempDir("soc2-portal-out-"), "site");
    const result = await runCliAt(TEST_NOW, "portal", dir, "--out", out);
    expect(result.code).toBe(0);
    // The fixture has a gap, a reference to a missing policy and five App records without a chain
    // link (evidence-unchained): the site is built all the same, and shows what soc2 verify finds.
    expect(result.stderr).toBe(
      `warning: soc2 validate finds 7 error(s) in ${dir}; the site shows the repository as it is\n` +
        "warning: the evidence integrity check found 5 problem(s); the site's integrity page lists them\n",
    );
    expect(result.stdout).toMatch(
      /^✓ wrote \d+ file\(s\) to .*site: 2 controls, 5 evidence records, integrity 5 finding\(s\), statuses as of \d{4}-\d{2}-\d{2}\n/,
    );
    const integrity = await readFile(join(out, "integrity.html"), "utf8");
    expect(integrity).toContain("<h2>Findings (5)</h2>");
    expect(integrity.match(/<code>unchained-record<\/code>/g)).toHaveLength(5);
    const verify = await runCliAt(TEST_NOW, "verify", dir, "--format", "json");
    expect(JSON.parse(verify.stdout).findings).toHaveLength(5);
    // As soc2 readiness, the default as-of date is the clock's today.
    expect(result.stdout).toContain(`statuses as of ${dayOf(TEST_NOW)}`);
    const files = await filesUnder(out);
    expect(files.has("index.html")).toBe(true);
    expect(files.has("records/changes/acme/web/2026/11/pr-1.html")).toBe(true);
    const manifest = JSON.parse(files.get(SITE_MANIFEST)!.toString("utf8"));
    expect(manifest.generator).toBe("soc2 portal");
    expect([...manifest.files, SITE_MANIFEST].sort()).toEqual([...files.keys()].sort());
  });

  it("is deterministic: two builds of the same repository are byte-identical", async () => {
    const dir = await repository();
    const root = await tempDir("soc2-portal-out-");
    expect((await runCli("portal", dir, "--out", join(root, "a"))).code).toBe(0);
    expect((await runCli("portal", dir, "--out", join(root, "b"))).code).toBe(0);
    const a = await filesUnder(join(root, "a"));
    const b = await filesUnder(join(root, "b"));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [path, bytes] of a) expect(bytes.equals(b.get(path)!), path).toBe(true);
  });

  it("rebuilds over its own earlier build: removes pages that are gone, keeps files it never wrote", async () => {
    const dir = await repository();
    const out = await tempDir("soc2-portal-out-");
    expect((await runCli("portal", dir, "--out", out)).code).toBe(0);
    await writeFile(join(out, "CNAME"), "audit.example.com\n");
    await rm(join(dir, "evidence/reviews"), { recursive: true });
    const again = await runCli("portal", dir, "--out", out);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("(removed 1 left from the previous build)");
    expect(existsSync(join(out, "records/reviews"))).toBe(false);
    expect(await readFile(join(out, "CNAME"), "utf8")).toBe("audit.example.com\n");
    expect(existsSync(join(out, "index.html"))).toBe(true);
  });

  it("refuses a folder that holds other files, and leaves it untouched", async () => {
    const dir = await repository();
    const out = await tempDir("soc2-portal-out-");
    await writeFile(join(out, "notes.txt"), "mine");
    const result = await runCli("portal", dir, "--out", out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not empty and was not built by soc2 portal");
    expect([...(await filesUnder(out)).keys()]).toEqual(["notes.txt"]);
  });

  it("never deletes outside the folder, whatever the manifest says", async () => {
    const dir = await repository();
    const root = await tempDir("soc2-portal-out-");
    const out = join(root, "site");
    await mkdir(out);
    await writeFile(join(root, "precious.txt"), "keep");
    await writeFile(
      join(out, SITE_MANIFEST),
      JSON.stringify({ generator: "soc2 portal", files: ["../precious.txt"] }),
    );
    const result = await runCli("portal", dir, "--out", out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('names an unsafe path: "../precious.txt"');
    expect(await readFile(join(root, "precious.txt"), "utf8")).toBe("keep");
  });

  it("never writes through a symbolic link inside the folder", async () => {
    const dir = await repository();
    const root = await tempDir("soc2-portal-out-");
    const out = join(root, "site");
    const elsewhere = join(root, "elsewhere");
    await mkdir(elsewhere);
    expect((await runCli("portal", dir, "--out", out)).code).toBe(0);
    await rm(join(out, "assets"), { recursive: true });
    await symlink(elsewhere, join(out, "assets"));
    const result = await runCli("portal", dir, "--out", out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is in the way of the site: it is not a plain folder");
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it("never removes a file through a symbolic link a crafted manifest points into", async () => {
    const dir = await repository();
    const root = await tempDir("soc2-portal-out-");
    const out = join(root, "site");
    const victim = join(root, "victim");
    await mkdir(victim);
    await writeFile(join(victim, "secret.txt"), "keep");
    expect((await runCli("portal", dir, "--out", out)).code).toBe(0);
    // A committed site folder whose manifest lists a file behind a link to elsewhere.
    const manifest = JSON.parse(await readFile(join(out, ".soc2-portal.json"), "utf8")) as {
      generator: string;
      files: string[];
    };
    manifest.files.push("evil/secret.txt");
    await writeFile(join(out, ".soc2-portal.json"), JSON.stringify(manifest));
    await symlink(victim, join(out, "evil"));
    expect((await runCli("portal", dir, "--out", out)).code).toBe(0);
    expect(await readFile(join(victim, "secret.txt"), "utf8")).toBe("keep");
  });

  it("refuses to write the site over the repository, and a malformed --as-of", async () => {
    const dir = await repository();
    const over = await runCli("portal", dir, "--out", dir);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain("would contain the repository itself");
    const date = await runCli("portal", dir, "--out", join(dir, "site"), "--as-of", "2026-02-30");
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('--as-of "2026-02-30" is not a date');
  });

  it("assesses statuses as of --as-of", async () => {
    const dir = await repository();
    const out = await tempDir("soc2-portal-out-");
    expect((await runCli("portal", dir, "--out", out, "--as-of", "2026-11-11")).code).toBe(0);
    const register = await readFile(join(out, "exceptions.html"), "utf8");
    // #2's review is due on 2026-11-12; #3 was merged after the as-of date.
    expect(register.replace(/\s+/g, " ")).toContain(
      "2 exceptions as of 2026-11-11, 0 resolved, 1 awaiting review, 0 open, 1 not assessed.",
    );
  });

  it("shows the readiness soc2 readiness computes, as of the same day", async () => {
    const dir = await repository();
    const out = join(await tempDir("soc2-portal-out-"), "site");
    expect((await runCliAt(TEST_NOW, "portal", dir, "--out", out)).code).toBe(0);
    const cli = await runCliAt(TEST_NOW, "readiness", dir, "--format", "json");
    const report = JSON.parse(cli.stdout) as {
      asOf: string;
      categories: Array<{ name: string; score: number | null }>;
      gaps: Array<{ problem: string; subject: string }>;
    };
    expect(report.asOf).toBe(dayOf(TEST_NOW));
    const index = (await readFile(join(out, "index.html"), "utf8")).replace(/\s+/g, " ");
    const page = (await readFile(join(out, "readiness.html"), "utf8")).replace(/\s+/g, " ");
    expect(index).toContain(`Readiness as of ${report.asOf}`);
    expect(page).toContain(`Readiness as of ${report.asOf}`);
    for (const c of report.categories) {
      const score = `${c.score}%`;
      expect(index).toMatch(new RegExp(`<td>${c.name}</td>.*?<td class="\\w+"> ?${score} ?</td>`));
    }
    // The overview no longer shows full coverage as if it were readiness.
    expect(report.categories[0]!.score).toBeLessThan(100);
    expect(index).toContain(`${report.gaps.length} gaps</a> to close before the audit`);
    expect(page).toContain(`Gaps (${report.gaps.length})`);
    for (const gap of report.gaps) expect(page).toContain(`>${gap.subject}<`);
  });
});
