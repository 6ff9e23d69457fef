import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

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
 * `files` is walked twice, first for the paths (the manifest), then to write: an array, or an
 * iterable that makes its entries again on each walk, so a site of a hundred thousand pages
 * need not hold an entry for each.
 */
export async function writeSite(
  out: string,
  files: Iterable<SiteFileOut>,
): Promise<{ written: number; removed: number }> {
  const root = resolve(out);
  const previous = await previousBuild(root, out);
  const next = Array.from(files, (f) => safePath(f.path, "the site"));
  const keep = new Set(next);
  await mkdir(root, { recursive: true });
  // The manifest lists both builds until the new one is complete, so an interrupted build can
  // still be rebuilt and cleaned up.
  await writeManifest(root, [...previous, ...next]);
  let written = 0;
  for (const file of files) {
    if (file.path !== next[written])
      throw new Error(
        `the site's files changed between two walks (${file.path} where ${next[written]} was listed)`,
      );
    await writeOne(
      root,
      file.path,
      typeof file.content === "string" ? file.content : await file.content(),
    );
    written++;
  }
  if (written !== next.length)
    throw new Error(`the site listed ${next.length} files but gave ${written} to write`);
  let removed = 0;
  for (const path of previous) {
    if (keep.has(path)) continue;
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
  await writeManifest(root, next);
  return { written, removed };
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

async function writeManifest(root: string, files: readonly string[]): Promise<void> {
  const sorted = [...new Set(files)].sort();
  await writeOne(
    root,
    SITE_MANIFEST,
    JSON.stringify({ generator: GENERATOR, files: sorted }, null, 2) + "\n",
  );
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
