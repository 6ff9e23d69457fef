import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SITE_MANIFEST, writeSite, type SiteFileOut } from "../../src/adapters/write-site.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "soc2-write-site-"));
  dirs.push(dir);
  return dir;
}

/** A plan made again on each walk, as the portal's: it keeps no entry per file. */
function plan(paths: string[]): Iterable<SiteFileOut> {
  return {
    *[Symbol.iterator]() {
      for (const path of paths) yield { path, content: () => `page ${path}` };
    },
  };
}

const manifestOf = async (out: string) =>
  JSON.parse(await readFile(join(out, SITE_MANIFEST), "utf8")) as { files: string[] };

describe("writeSite", () => {
  it("writes a plan walked again for each pass, with a manifest as JSON.stringify writes it", async () => {
    const out = join(await folder(), "site");
    const paths = ["index.html", "records/a.html", 'more/"quoted".html'];
    expect(await writeSite(out, plan(paths))).toEqual({ written: 3, removed: 0 });
    for (const path of paths) expect(await readFile(join(out, path), "utf8")).toBe(`page ${path}`);
    expect(await readFile(join(out, SITE_MANIFEST), "utf8")).toBe(
      JSON.stringify({ generator: "soc2 portal", files: paths }, null, 2) + "\n",
    );
  });

  it("writes the manifest of an empty site as JSON.stringify does", async () => {
    const out = join(await folder(), "site");
    await writeSite(out, []);
    expect(await readFile(join(out, SITE_MANIFEST), "utf8")).toBe(
      JSON.stringify({ generator: "soc2 portal", files: [] }, null, 2) + "\n",
    );
  });

  it("on a rebuild removes only the earlier build's files the new one lacks", async () => {
    const out = join(await folder(), "site");
    await writeSite(out, plan(["index.html", "old/gone.html", "kept.html"]));
    await writeFile(join(out, "CNAME"), "audit.example.com");
    const result = await writeSite(out, plan(["index.html", "kept.html", "new.html"]));
    expect(result).toEqual({ written: 3, removed: 1 });
    expect(existsSync(join(out, "old"))).toBe(false);
    expect(await readFile(join(out, "CNAME"), "utf8")).toBe("audit.example.com");
    expect((await manifestOf(out)).files).toEqual(["index.html", "kept.html", "new.html"]);
  });

  it("refuses a plan that can be walked only once, before it removes anything", async () => {
    const out = join(await folder(), "site");
    await writeSite(out, plan(["index.html", "old.html"]));
    function* once(): Generator<SiteFileOut> {
      yield { path: "index.html", content: "new" };
    }
    await expect(writeSite(out, once())).rejects.toThrow(/changed between two walks/);
    // The earlier build's file is still there, and listed, so a good rebuild cleans it up.
    expect(existsSync(join(out, "old.html"))).toBe(true);
    expect((await manifestOf(out)).files).toContain("old.html");
  });

  it("checks every path before it makes the folder", async () => {
    const root = await folder();
    await expect(
      writeSite(join(root, "site"), plan(["ok.html", "../escape.html"])),
    ).rejects.toThrow(/unsafe path/);
    expect(existsSync(join(root, "site"))).toBe(false);
    expect(existsSync(join(root, "escape.html"))).toBe(false);
  });

  it("leaves no temporary manifest when a walk fails halfway", async () => {
    const out = join(await folder(), "site");
    await mkdir(out);
    let walks = 0;
    const failing: Iterable<SiteFileOut> = {
      *[Symbol.iterator]() {
        walks++;
        yield { path: "a.html", content: "a" };
        if (walks === 2) throw new Error("the plan failed");
        yield { path: "b.html", content: "b" };
      },
    };
    await expect(writeSite(out, failing)).rejects.toThrow("the plan failed");
    expect(existsSync(join(out, SITE_MANIFEST))).toBe(false);
    expect(existsSync(join(out, "a.html"))).toBe(false);
  });
});
