import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSite } from "../../src/adapters/write-site.js";
import { buildSite } from "../../src/core/portal/index.js";
import { runDemo } from "../../src/dev/demo/run-demo.js";
import { runCli } from "../helpers/capture.js";
import { fixtureInput } from "./fixture.js";
import { steppingClock, TEST_NOW } from "../helpers/clock.js";

/**
 * The portal in a real browser: Debian's Chromium, driven by playwright-core. The site is built
 * from the evidence the App's end-to-end path writes (`npm run demo`), then opened from file://
 * and from a loopback web server under a sub-path (as GitHub Pages serves a project site), and
 * crawled: every page reachable by links loads, every link and anchor resolves, no console errors,
 * and the change population's filters work.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** GitHub Pages serves a project site under /<repository>/: links must be relative to work there. */
const PAGES_PREFIX = "/compliance-portal/";

let workDir: string;
let site: string;
let browser: Browser;
let server: Server;
let httpBase: string;
let fileBase: string;

/** Without Chromium every test fails with this message (a failure, not a silent skip). */
const MISSING = existsSync(CHROMIUM)
  ? undefined
  : `The portal's browser test needs Chromium at ${CHROMIUM}, and it is not there. ` +
    "Run .ci/run (it installs Debian's chromium), or `apt-get install chromium`, " +
    "or set CHROMIUM_PATH to a Chromium binary.";

function needChromium(): void {
  if (MISSING) throw new Error(MISSING);
}

beforeAll(async () => {
  if (MISSING) return;
  workDir = await mkdtemp(join(tmpdir(), "soc2-portal-browser-"));
  const repo = join(workDir, "evidence-repo");
  await runDemo({ dir: repo, out: () => undefined, now: steppingClock(TEST_NOW.toISOString()) });
  site = join(workDir, "site");
  const built = await runCli("portal", repo, "--out", site);
  if (built.code !== 0) throw new Error(`soc2 portal failed: ${built.stderr}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  server = await serve(site, PAGES_PREFIX);
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no server address");
  httpBase = `http://127.0.0.1:${address.port}${PAGES_PREFIX}`;
  fileBase = pathToFileURL(site).href + "/";
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("soc2 portal in headless Chromium", () => {
  it("from file://: every page reachable from the index loads, every link and anchor resolves", async () => {
    needChromium();
    const result = await crawl(fileBase + "index.html");
    expect(result.problems).toEqual([]);
    expect(result.visited.sort()).toEqual((await htmlPages(fileBase)).sort());
    expect(result.anchors).toBeGreaterThan(30);
  }, 30_000);

  it("from a web server under a sub-path (as GitHub Pages): the same", async () => {
    needChromium();
    const result = await crawl(httpBase + "index.html");
    expect(result.problems).toEqual([]);
    expect(result.visited.sort()).toEqual((await htmlPages(httpBase)).sort());
  }, 30_000);

  for (const [name, base] of [
    ["file://", () => fileBase],
    ["http://", () => httpBase],
  ] as const) {
    it(`the change population's filters work (${name})`, async () => {
      needChromium();
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(base() + "changes.html");
      const rows = page.locator("#population tbody tr:not([hidden])");
      const count = page.locator("#f-count");
      await expect.poll(() => page.locator("#filters").isVisible()).toBe(true);
      expect(await rows.count()).toBe(3);

      await page.check("#f-exceptions");
      expect(await rows.count()).toBe(2);
      expect(await count.textContent()).toBe("2 of 3 changes shown");
      await page.uncheck("#f-exceptions");

      await page.selectOption("#f-verdict", "pass");
      expect(await rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain("PAY-101: round overtime to the minute");
      await page.selectOption("#f-verdict", "fail");
      expect(await rows.count()).toBe(2);
      await page.selectOption("#f-verdict", "");

      await page.fill("#f-search", "hotfix");
      expect(await rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain("Hotfix the login page");
      await page.fill("#f-search", "carol");
      expect(await rows.count()).toBe(2); // merged #1, pushed straight to main
      await page.fill("#f-search", "no such change");
      expect(await rows.count()).toBe(0);
      await page.fill("#f-search", "");

      await page.selectOption("#f-repo", "acme/web");
      expect(await rows.count()).toBe(3);

      const day = (await rows.first().getAttribute("data-day"))!;
      const before = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000)
        .toISOString()
        .slice(0, 10);
      await page.fill("#f-to", before);
      expect(await rows.count()).toBe(0);
      await page.fill("#f-to", "");
      await page.fill("#f-from", day);
      expect(await rows.count()).toBe(3);

      await page.check("#f-exceptions");
      await page.fill("#f-search", "direct-push");
      expect(await rows.count()).toBe(1);
      await page.click("button[type=reset]");
      await expect.poll(() => rows.count()).toBe(3);
      expect(await count.textContent()).toBe("3 of 3 changes shown");
      expect(errors).toEqual([]);
      await page.close();
    }, 30_000);
  }

  it("without JavaScript the population lists every change and hides the filters", async () => {
    needChromium();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(fileBase + "changes.html");
    expect(await page.locator("#population tbody tr").count()).toBe(3);
    expect(await page.locator("#filters").isVisible()).toBe(false);
    await context.close();
  }, 30_000);

  it("shows a <script> pull-request title as text and never runs it", async () => {
    needChromium();
    const hostile = join(workDir, "hostile-site");
    await writeSite(hostile, buildSite(fixtureInput()));
    const page = await browser.newPage();
    const errors = watchErrors(page);
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    for (const path of [
      "records/changes/acme/web/2026/11/pr-1.html",
      "changes.html",
      "controls/CHG-01.html",
    ]) {
      await page.goto(pathToFileURL(join(hostile, path)).href);
      expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
    }
    await page.goto(pathToFileURL(join(hostile, "changes.html")).href);
    expect(await page.locator("#population tbody tr").first().textContent()).toContain(
      "<script>window.__pwned = 1</script>",
    );
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);
});

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`script error on ${page.url()}: ${e.message}`));
  page.on("requestfailed", (r) =>
    errors.push(`${r.url()} failed to load on ${page.url()}: ${r.failure()?.errorText ?? "?"}`),
  );
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.url()} answered ${r.status()} on ${page.url()}`);
  });
  return errors;
}

interface Crawl {
  visited: string[];
  problems: string[];
  /** Links with a #fragment that were checked. */
  anchors: number;
}

/** Opens every page reachable by links from `start` (same site only) and checks every link. */
async function crawl(start: string): Promise<Crawl> {
  // One tab: on a small machine, tabs in parallel only compete for the same cores.
  const page = await browser.newPage();
  const problems = watchErrors(page);
  const root = new URL(".", start).href;
  const inside = (u: URL) => u.href.startsWith(root);
  const seen = new Set<string>([start]);
  const ids = new Map<string, Set<string>>();
  const anchors: Array<{ from: string; to: URL }> = [];
  const found: string[] = [];
  let styled = false;

  const visit = async (url: string, next: string[]) => {
    const loaded = await page.goto(url).then(
      () => true,
      (error: Error) => {
        found.push(`${url} did not load: ${error.message.split("\n")[0]}`);
        return false;
      },
    );
    if (!loaded) return;
    const seenHere = (await page.evaluate(`({
      links: Array.from(document.querySelectorAll("a[href]"), (a) => a.getAttribute("href")),
      ids: Array.from(document.querySelectorAll("[id]"), (e) => e.id),
      header: getComputedStyle(document.querySelector("header.site")).backgroundColor,
      title: document.title,
    })`)) as { links: string[]; ids: string[]; header: string; title: string };
    ids.set(url, new Set(seenHere.ids));
    if (!seenHere.title) found.push(`${url} has no title`);
    // The style sheet loaded (under the pages' content security policy).
    styled ||= seenHere.header === "rgb(20, 32, 46)";
    for (const href of seenHere.links) {
      const to = new URL(href, url);
      if (!inside(to)) {
        if (to.protocol !== "http:" && to.protocol !== "https:")
          found.push(`${url} links to ${href}, outside the site`);
        continue;
      }
      if (to.hash) anchors.push({ from: url, to: new URL(to.href) });
      to.hash = "";
      if (!seen.has(to.href)) {
        seen.add(to.href);
        next.push(to.href);
      }
    }
  };

  // Breadth first: the index, then the pages it links to, and so on.
  for (let level = [start]; level.length > 0;) {
    const next: string[] = [];
    for (const url of level) await visit(url, next);
    level = next;
  }
  for (const { from, to } of anchors) {
    const target = new URL(to.href);
    target.hash = "";
    const id = decodeURIComponent(to.hash.slice(1));
    if (!ids.get(target.href)?.has(id))
      found.push(`${from} links to ${to.href}: no element with id "${id}"`);
  }
  if (!styled) found.push("the style sheet did not apply");
  await page.close();
  return { visited: [...seen], problems: [...found, ...problems], anchors: anchors.length };
}

/** The URL of every HTML file of the site under `base`. */
async function htmlPages(base: string): Promise<string[]> {
  const entries = await readdir(site, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => {
      const path = join(e.parentPath, e.name)
        .slice(site.length + 1)
        .split(sep);
      return new URL(path.map(encodeURIComponent).join("/"), base).href;
    });
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
};

/** A static file server on loopback, like GitHub Pages: the folder under `prefix`, 404 otherwise. */
async function serve(root: string, prefix: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const rel = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
    const full =
      rel === undefined
        ? undefined
        : resolve(root, rel === "" || rel.endsWith("/") ? `${rel}index.html` : rel);
    if (!full || !full.startsWith(root + sep)) {
      res.writeHead(404).end("not found");
      return;
    }
    readFile(full).then(
      (body) => {
        res.writeHead(200, {
          "content-type": TYPES[extname(full)] ?? "application/octet-stream",
          "x-content-type-options": "nosniff",
        });
        res.end(body);
      },
      () => res.writeHead(404).end("not found"),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return server;
}
