/**
 * Where each page of the site lives, and relative links between pages: the site works from
 * file:// and from any sub-path of a web server (GitHub Pages), so every link is relative.
 */

/** A link from the page at `from` to the page at `to` (both site paths like controls/CHG-01.html). */
export function relativeHref(from: string, to: string, fragment?: string): string {
  const fromDirs = from.split("/").slice(0, -1);
  const toParts = to.split("/");
  let common = 0;
  while (
    common < fromDirs.length &&
    common < toParts.length - 1 &&
    fromDirs[common] === toParts[common]
  )
    common++;
  const up = "../".repeat(fromDirs.length - common);
  const rest = toParts.slice(common).map(encodeURIComponent).join("/");
  return up + rest + (fragment === undefined ? "" : `#${encodeURIComponent(fragment)}`);
}

/**
 * Hands out unique page paths. Two names that differ only in case would overwrite each other on
 * a case-insensitive file system (macOS, Windows), so uniqueness ignores case.
 */
export class PathAllocator {
  private readonly taken = new Set<string>();

  take(folder: string, name: string): string {
    const base = cleanName(name);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? preferredPath(folder, name) : `${folder}/${base}~${n}.html`;
      const key = candidate.toLowerCase();
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return candidate;
      }
    }
  }
}

/** The path `take` gives a name when no other page has it (as most have). */
export function preferredPath(folder: string, name: string): string {
  return `${folder}/${cleanName(name)}.html`;
}

/**
 * A name (possibly with slashes, for record ids) safe to write: no empty, "." or ".." segments,
 * no control characters, no characters Windows forbids in file names.
 */
function cleanName(name: string): string {
  const segments = name
    .split("/")
    // eslint-disable-next-line no-control-regex
    .map((s) => s.replace(/[\u0000-\u001f\u007f<>:"\\|?*]/g, "_").replace(/^\.+/, "_"))
    .filter((s) => s !== "");
  return segments.length > 0 ? segments.join("/") : "_";
}

/** An ID usable as a file name as it is (control and policy IDs are upper-case words and hyphens). */
export const SIMPLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/;
