import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeSite } from "../../src/adapters/write-site.js";
import { buildSite, planSite, type SiteFile } from "../../src/core/portal/index.js";
import { fixtureInput } from "./fixture.js";
import { brokenLinks } from "./links.js";

/** The targets of the record links in a page's tables (record pages live under records/). */
const recordLinks = (content: string) =>
  [...content.matchAll(/<td><a href="([^"]*records\/[^"]+\.html)"/g)].map((m) =>
    m[1]!.replace(/^(\.\.\/)+/, ""),
  );
const rowsOf = (content: string) =>
  content.match(/<tbody>[\s\S]*?<\/tbody>/)![0].match(/<tr[\s>]/g)?.length ?? 0;
const get = (files: SiteFile[], path: string) => files.find((f) => f.path === path)!.content;

describe("soc2 portal: long lists in pages", () => {
  const whole = buildSite(fixtureInput());
  const paged = buildSite({ ...fixtureInput(), pageRows: 2 });
  const pathsOf = (prefix: string) =>
    paged
      .map((f) => f.path)
      .filter((p) => p === `${prefix}.html` || p.startsWith(`more/${prefix}-`));

  it("splits the change population into static pages, every change once, in order", () => {
    const pages = pathsOf("changes");
    expect(pages.length).toBeGreaterThan(1);
    expect(pages).toContain("more/changes-2.html");
    const rows = pages.map((p) => rowsOf(get(paged, p)));
    expect(Math.max(...rows)).toBeLessThanOrEqual(2);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(rowsOf(get(whole, "changes.html")));
    const paths = pages.flatMap((p) => recordLinks(get(paged, p)));
    expect(paths).toEqual(recordLinks(get(whole, "changes.html")));
  });

  it("splits a control's evidence: its page has the first rows, more/ the rest", () => {
    const pages = pathsOf("controls/CHG-01");
    expect(pages[0]).toBe("controls/CHG-01.html");
    expect(pages).toContain("more/controls/CHG-01-2.html");
    const all = recordLinks(get(whole, "controls/CHG-01.html"));
    expect(pages.flatMap((p) => recordLinks(get(paged, p)))).toEqual(all);
    expect(get(paged, "more/controls/CHG-01-2.html")).toMatch(/Page 2 of \d+/);
  });

  it("lists the first records of a kind on evidence.html and all of them on the kind's pages", () => {
    const evidence = get(paged, "evidence.html");
    expect(evidence).toContain('href="more/evidence-change-record.html"');
    const pages = paged
      .map((f) => f.path)
      .filter((p) => p.startsWith("more/evidence-change-record"));
    const listed = pages.flatMap((p) => recordLinks(get(paged, p)));
    const wholeEvidence = get(whole, "evidence.html");
    const section = wholeEvidence.slice(wholeEvidence.indexOf('id="kind-change-record"'));
    const expected = recordLinks(section.slice(0, section.indexOf("</table>")));
    expect(listed).toEqual(expected);
  });

  it("links only to pages that exist, from every page, also across pages", () => {
    expect(brokenLinks(paged)).toEqual([]);
  });

  it("gives the same site as before when every list fits on one page", () => {
    expect(whole.every((f) => !f.path.startsWith("more/"))).toBe(true);
  });

  it("reads a record's text only when its page is made, and names the record file it needs", () => {
    const input = fixtureInput();
    const asked: string[] = [];
    const texts = input.recordTexts;
    const plan = planSite({
      ...input,
      recordTexts: {
        get: (path: string) => {
          asked.push(path);
          return texts.get(path);
        },
      },
    });
    const planned = [...plan];
    expect(asked).toEqual([]);
    const page = planned.find((f) => f.recordFile !== undefined)!;
    expect(page.content()).toBe(get(whole, page.path));
    // Only that record's text (a summarized record's page also parses it, asking again).
    expect([...new Set(asked)]).toEqual([page.recordFile]);
  });

  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("makes each page only when it is written, one at a time", async () => {
    const out = await mkdtemp(join(tmpdir(), "soc2-portal-pages-"));
    dirs.push(out);
    const planned = [...planSite({ ...fixtureInput(), pageRows: 2 })];
    const made: string[] = [];
    let previous: string | undefined;
    const files = planned.map((f) => ({
      path: f.path,
      content: () => {
        // The page before this one is on disk before this one is made.
        if (previous !== undefined) expect(existsSync(join(out, "site", previous))).toBe(true);
        made.push(f.path);
        previous = f.path;
        return f.content();
      },
    }));
    expect(made).toEqual([]);
    await writeSite(join(out, "site"), files);
    expect(made).toEqual(planned.map((f) => f.path));
    expect(await readFile(join(out, "site", "more/changes-2.html"), "utf8")).toBe(
      get(paged, "more/changes-2.html"),
    );
  });
});
