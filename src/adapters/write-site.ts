import {
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  writeFile,
} from "node:fs/promises";
import { join, resolve } from "node:path";
import { fnv1a } from "../core/text-hash.js";

/** The list of files a build wrote, kept in the site folder so that a rebuild removes only those. */
export const SITE_MANIFEST = ".soc2-portal.json";

const GENERATOR = "soc2 portal";

/** The folder cannot take the site (not empty and not an earlier build, or a path is unsafe). */
export class SiteFolderError extends Error {
  override name = "SiteFolderError";
}

export interface SiteFileOut {
  path: string;
  /** The text, or a function that makes it: called only when this file is written, one at a time. */
  content: string | (() => string | Promise<string>);
}

/**
 * Writes a site into `out`: a new or empty folder, or one an earlier build wrote (it has the
 * manifest). On a rebuild, files of the earlier build that the new one does not have are removed;
 * files the portal never wrote (a CNAME, say) are left alone. Nothing outside `out` is touched:
 * paths are checked, and a symbolic link inside `out` is never written through.
 *
 * `files` is walked several times (to check the paths, for the manifest, to write, for the final
 * manifest): an array, or an iterable that makes its entries again on each walk, in the same
 * order. Nothing is kept per file but what a rebuild must remove, so a site of a hundred thousand
 * pages needs no list of its paths in memory.
 */
export async function writeSite(
  out: string,
  files: Iterable<SiteFileOut>,
): Promise<{ written: number; removed: number }> {
  const root = resolve(out);
  const previous = await previousBuild(root, out);
  const planned = fingerprint(pathsOf(files));
  // The earlier build's files that this one does not have, found while the manifest is written.
  const leftover = new Set(previous);
  function* bothBuilds(): Generator<string> {
    yield* previous;
    for (const path of pathsOf(files)) if (!leftover.delete(path)) yield path;
  }
  await mkdir(root, { recursive: true });
  // The manifest lists both builds until the new one is complete, so an interrupted build can
  // still be rebuilt and cleaned up.
  await writeManifest(root, bothBuilds());
  let written = 0;
  const walked = fingerprint([]);
  for (const file of files) {
    walked.add(file.path);
    if (walked.count > planned.count) break;
    await writeOne(
      root,
      file.path,
      typeof file.content === "string" ? file.content : await file.content(),
    );
    written++;
  }
  if (walked.count !== planned.count || walked.hash !== planned.hash)
    throw new Error(
      `the site's files changed between two walks (${planned.count} listed, ${walked.count} given to write)`,
    );
  let removed = 0;
  for (const path of leftover) {
    // Never remove through a symbolic link: a folder on the way that is a link could point
    // anywhere on the machine.
    if (!(await plainFoldersTo(root, path))) continue;
    const full = join(root, path);
    const info = await lstat(full).catch(() => undefined);
    if (info && !info.isDirectory()) {
      await rm(full);
      removed++;
    }
    await pruneEmptyParents(root, path);
  }
  await writeManifest(root, pathsOf(files));
  return { written, removed };
}

/** The site's paths, each checked to stay inside the folder. */
function* pathsOf(files: Iterable<SiteFileOut>): Generator<string> {
  for (const file of files) yield safePath(file.path, "the site");
}

/** How many paths and a hash of them in order: two walks of one plan give the same. */
function fingerprint(paths: Iterable<string>) {
  const print = {
    count: 0,
    hash: fnv1a(""),
    add(path: string) {
      print.count++;
      // With a separator, so that ["ab", "c"] and ["a", "bc"] differ.
      print.hash = fnv1a("\n", fnv1a(path, print.hash));
    },
  };
  for (const path of paths) print.add(path);
  return print;
}

async function previousBuild(root: string, shown: string): Promise<string[]> {
  const info = await lstat(root).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) throw new SiteFolderError(`${shown} exists and is not a folder`);
  if ((await readdir(root)).length === 0) return [];
  const text = await readFile(join(root, SITE_MANIFEST), "utf8").catch(() => undefined);
  if (text === undefined)
    throw new SiteFolderError(
      `${shown} is not empty and was not built by soc2 portal (no ${SITE_MANIFEST}): choose a new or empty folder`,
    );
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    manifest = undefined;
  }
  const m = manifest as { generator?: unknown; files?: unknown } | undefined;
  if (!m || m.generator !== GENERATOR || !Array.isArray(m.files))
    throw new SiteFolderError(
      `${join(shown, SITE_MANIFEST)} is not a manifest soc2 portal wrote: choose a new or empty folder`,
    );
  return m.files.map((p) => safePath(p, join(shown, SITE_MANIFEST)));
}

/** A relative path with forward slashes that stays inside the site folder. */
function safePath(path: unknown, where: string): string {
  if (
    typeof path !== "string" ||
    path === "" ||
    path.startsWith("/") ||
    path.includes("\\") ||
    path.includes("\0") ||
    /^[A-Za-z]:/.test(path) ||
    path.split("/").some((s) => s === "" || s === "." || s === "..") ||
    path === SITE_MANIFEST
  )
    throw new SiteFolderError(`${where} names an unsafe path: ${JSON.stringify(path)}`);
  return path;
}

async function writeOne(root: string, path: string, content: string): Promise<void> {
  const segments = path.split("/");
  let dir = root;
  for (const segment of segments.slice(0, -1)) {
    dir = join(dir, segment);
    const info = await lstat(dir).catch(() => undefined);
    if (!info) await mkdir(dir);
    else if (!info.isDirectory() || info.isSymbolicLink())
      throw new SiteFolderError(`${dir} is in the way of the site: it is not a plain folder`);
  }
  const target = join(root, path);
  const info = await lstat(target).catch(() => undefined);
  if (info?.isDirectory())
    throw new SiteFolderError(`${target} is a folder where the site has a file`);
  // Through a temporary name and a rename: no half-written page, and a symbolic link at the
  // target is replaced, not followed.
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, content, { encoding: "utf8", flag: "wx" });
  await rename(temporary, target);
}

/**
 * The manifest, written as its paths come (in the site's order; JSON as JSON.stringify with two
 * spaces writes it) through a temporary name: never a list of every path in memory, never half a
 * manifest in place.
 */
async function writeManifest(root: string, files: Iterable<string>): Promise<void> {
  const target = join(root, SITE_MANIFEST);
  const temporary = `${target}.${process.pid}.tmp`;
  const handle = await open(temporary, "wx");
  try {
    let text = `{\n  "generator": ${JSON.stringify(GENERATOR)},\n  "files": [`;
    let first = true;
    for (const path of files) {
      text += `${first ? "" : ","}\n    ${JSON.stringify(path)}`;
      first = false;
      if (text.length >= 64 * 1024) {
        await handle.write(text);
        text = "";
      }
    }
    await handle.write(`${text}${first ? "" : "\n  "}]\n}\n`);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  await rename(temporary, target);
}

async function pruneEmptyParents(root: string, path: string): Promise<void> {
  const segments = path.split("/").slice(0, -1);
  while (segments.length > 0) {
    const dir = join(root, ...segments);
    const info = await lstat(dir).catch(() => undefined);
    if (!info || !info.isDirectory()) return;
    if ((await readdir(dir)).length > 0) return;
    await rmdir(dir);
    segments.pop();
  }
}

/** True when every folder between the site root and the file is a real folder, not a link. */
async function plainFoldersTo(root: string, path: string): Promise<boolean> {
  let dir = root;
  for (const segment of path.split("/").slice(0, -1)) {
    dir = join(dir, segment);
    const info = await lstat(dir).catch(() => undefined);
    if (!info || info.isSymbolicLink() || !info.isDirectory()) return false;
  }
  return true;
}
