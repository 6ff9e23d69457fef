import { readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Every entry under `folders` (relative to `dir`) that `wanted` accepts and that is not a folder:
 * regular files, and also symbolic links, FIFOs, sockets and devices, so that the reader can
 * report them (a glob drops them without a word). Hidden names are skipped, as by a glob with
 * dot: false; folders are walked, links to folders are not.
 */
export async function listEntries(
  dir: string,
  folders: readonly string[],
  wanted: (path: string) => boolean,
): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(dir, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (wanted(path)) out.push(path);
    }
  };
  for (const folder of folders) await walk(folder);
  return out;
}
