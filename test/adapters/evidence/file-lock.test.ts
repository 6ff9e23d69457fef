import { spawnSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireFileLock } from "../../../src/adapters/evidence/file-lock.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("the git store's lock file", () => {
  it("always names its holder, and leaves nothing else behind", async () => {
    const dir = await tempDir();
    const path = join(dir, "store.lock");
    const lock = await acquireFileLock(path);
    expect(await readFile(path, "utf8")).toMatch(new RegExp(`^${process.pid}@${hostname()} [0-9a-f-]{36}\\n$`));
    expect(await readdir(dir)).toEqual(["store.lock"]);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("is taken over at once when its holder on this machine no longer runs", async () => {
    const dir = await tempDir();
    const path = join(dir, "store.lock");
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    await writeFile(path, `${gone}@${hostname()} 00000000-0000-0000-0000-000000000000\n`);
    // Neither waiting out staleMs nor the timeout: the holder is known to be dead.
    const lock = await acquireFileLock(path, { staleMs: 60_000, timeoutMs: 1_000 });
    expect(await readFile(path, "utf8")).toContain(`${process.pid}@`);
    await lock.release();
  });

  it("is held by one writer at a time when many ask at once", async () => {
    const dir = await tempDir();
    const path = join(dir, "store.lock");
    let holding = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const lock = await acquireFileLock(path, { pollMs: 2 });
        holding++;
        most = Math.max(most, holding);
        await new Promise((r) => setTimeout(r, 3));
        holding--;
        await lock.release();
      }),
    );
    expect(most).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });
});
