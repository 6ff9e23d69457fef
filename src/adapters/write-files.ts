import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { PlannedFile } from "../core/init-plan.js";

/** True when the folder does not exist or is empty. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return true;
    if (code === "ENOTDIR") return false; // a file is in the way: not a new or empty folder
    throw error;
  }
}

/** Writes each file through a temporary name and a rename, so no file is ever left half-written. */
export async function writePlannedFiles(dir: string, files: readonly PlannedFile[]): Promise<void> {
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, file.content, { encoding: "utf8", flag: "wx" });
    await rename(temporary, target);
  }
}
