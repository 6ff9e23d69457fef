import { stat } from "node:fs/promises";
import { UsageError } from "../output.js";

export async function requireDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info)
    throw new UsageError(`${dir} does not exist: pass the folder of a compliance repository`);
  if (!info.isDirectory())
    throw new UsageError(`${dir} is not a folder: pass the folder of a compliance repository`);
}
