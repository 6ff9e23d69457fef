import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contentDigest } from "../../src/core/digest.js";
import { runCli } from "../helpers/capture.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";

const RECORD = `version: 1
kind: settings-snapshot
id: settings/x
controls: [CHG-02]
recorded_at: "2026-10-01T00:05:00Z"
source: { type: manual }
content:
  system: github
  target: a/b main
  captured_at: "2026-10-01T00:04:58Z"
  settings: { enforce_admins: true }
`;

describe("soc2 digest", () => {
  it("fills in the digest of a new record before its content, keeping the rest as written", async () => {
    const dir = await tempDir();
    await writeTree(dir, { "r.yml": RECORD });
    const result = await runCli("digest", "--write", join(dir, "r.yml"));
    expect(result.code).toBe(0);
    const expected = contentDigest({
      system: "github",
      target: "a/b main",
      captured_at: "2026-10-01T00:04:58Z",
      settings: { enforce_admins: true },
    });
    const written = await readFile(join(dir, "r.yml"), "utf8");
    expect(written).toContain(`source: { type: manual }\ndigest: ${expected}\ncontent:`);
    expect(written).toContain("controls: [CHG-02]");
  });

  it.each([['digest: ""'], ["digest:"]])(
    "fills a placeholder %s in place instead of adding a second key",
    async (placeholder) => {
      const dir = await tempDir();
      await writeTree(dir, { "r.yml": RECORD.replace("content:", `${placeholder}\ncontent:`) });
      expect((await runCli("digest", "--write", join(dir, "r.yml"))).code).toBe(0);
      const written = await readFile(join(dir, "r.yml"), "utf8");
      expect(written.match(/^digest:/gm)).toHaveLength(1);
      expect(written).toMatch(/^digest: sha256:[0-9a-f]{64}\ncontent:/m);
    },
  );

  it("never replaces an existing digest, and reports a record whose content changed", async () => {
    const dir = await tempDir();
    const wrong = "sha256:" + "0".repeat(64);
    await writeTree(dir, { "r.yml": RECORD.replace("content:", `digest: ${wrong}\ncontent:`) });
    const result = await runCli("digest", "--write", join(dir, "r.yml"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the content changed after it was recorded/);
    expect(await readFile(join(dir, "r.yml"), "utf8")).toContain(wrong);
  });

  it("does not depend on key order or YAML style", () => {
    expect(contentDigest({ a: 1, b: [1, "x"] })).toBe(contentDigest({ b: [1, "x"], a: 1 }));
    expect(contentDigest({ a: 1 })).not.toBe(contentDigest({ a: 2 }));
  });
});
