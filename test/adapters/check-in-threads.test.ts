import { execFile } from "node:child_process";
import { readdir, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type * as CheckInThreads from "../../src/adapters/check-in-threads.js";
import type * as ReadRepository from "../../src/adapters/read-repository.js";
import type * as ValidateCommand from "../../src/cli/commands/validate.js";
import type * as Validate from "../../src/core/validate.js";
import { attestation, troubledRepository } from "../helpers/troubled-repository.js";

// The threads run the compiled worker, as `soc2 validate` does: these tests load the build
// (lib/, made by `npm ci` and `npm run build`), not the TypeScript sources, and first make sure
// it is not older than the sources, so that they never test yesterday's code.
const built = new URL("../../lib/src/", import.meta.url).href;
const sources = new URL("../../src/", import.meta.url).pathname;
const stale: string[] = [];
for (const entry of await readdir(sources, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
  const source = join(entry.parentPath ?? entry.path, entry.name);
  const compiled = fileURLToPath(new URL(relative(sources, source).replace(/\.ts$/, ".js"), built));
  const compiledAt = await stat(compiled).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (compiledAt < (await stat(source)).mtimeMs) stale.push(relative(sources, source));
}
if (stale.length > 0)
  throw new Error(`lib/ is older than src/ (${stale.slice(0, 3).join(", ")}…): run npm run build`);
const { loadAndValidate } = (await import(
  `${built}cli/commands/validate.js`
)) as typeof ValidateCommand;
const { checkInThreads, defaultThreads } = (await import(
  `${built}adapters/check-in-threads.js`
)) as typeof CheckInThreads;
const { openRepository, readSourceSync } = (await import(
  `${built}adapters/read-repository.js`
)) as typeof ReadRepository;
const { startValidation } = (await import(`${built}core/validate.js`)) as typeof Validate;

const NOW = new Date("2026-06-01T00:00:00Z");
const run = promisify(execFile);
const fixture = (name: string) => new URL(`../fixtures/workers/${name}`, import.meta.url);

/** The troubled repository with 400 more records (seven batches), some of them broken. */
async function largeTroubledRepository(): Promise<string> {
  const more: Record<string, string> = {};
  for (let i = 0; i < 400; i++) {
    const id = `attestations/bulk/r${String(i).padStart(3, "0")}`;
    let text = attestation(id, "2026-01-01T00:00:00Z");
    if (i === 150) text = "version: 1\nkind: [attestation\n"; // not YAML
    if (i === 260) text = text.replace("version: 1", "version: 2"); // against the schema
    if (i === 333) text = attestation(id, "2027-01-01T00:00:00Z"); // in the future
    more[`evidence/${id}.yml`] = text;
  }
  return troubledRepository(more);
}

/** What loadAndValidate gives with `threads`, in a form two runs can be compared in. */
async function validated(dir: string, threads: number, warnings: string[] = []) {
  const result = await loadAndValidate(dir, NOW, {
    retain: "summary",
    threads,
    warn: (m) => warnings.push(m),
  });
  return {
    diagnostics: result.diagnostics,
    fileCount: result.fileCount,
    records: result.repository.evidence.map((r) => ({ ...r, file: r.file.path })),
  };
}

/** The records of a repository checked by checkInThreads directly, with a given worker module. */
async function checkedWith(dir: string, workerUrl: URL, threads: number, takeShare = false) {
  const opened = await openRepository(dir);
  const validation = startValidation(opened.files, { now: NOW, retain: "summary" });
  const failures: string[] = [];
  const checked = [];
  for await (const c of checkInThreads(
    { dir, files: opened.files, now: NOW },
    opened.evidencePaths,
    {
      threads,
      workerUrl,
      takeShare,
      checkHere: (path) => validation.checkEvidence(readSourceSync(dir, path, 2 ** 20)),
      reread: opened.reread,
      onThreadFailure: (error) => failures.push(error.message),
    },
  ))
    checked.push({ path: c.path, diagnostics: c.diagnostics, id: c.record?.id });
  return { checked, failures, paths: opened.evidencePaths };
}

describe("checking evidence records in threads", () => {
  it("finds what one thread finds, in the same order, and locates findings from a summary", async () => {
    const dir = await largeTroubledRepository();
    const one = await validated(dir, 1);
    const warnings: string[] = [];
    const three = await validated(dir, 3, warnings);
    expect(three).toEqual(one);
    expect(warnings).toEqual([]);
    const rules = new Set(one.diagnostics.map((d) => d.rule));
    for (const rule of ["yaml-syntax", "date-in-future", "duplicate-id", "digest-mismatch"])
      expect(rules).toContain(rule);
    expect(one.records.length).toBeGreaterThan(400);
    // A finding across records, made after the record's text was let go, is placed by reading
    // the file again: the summary that crossed from a thread keeps that way back.
    const duplicate = one.diagnostics.find((d) => d.rule === "duplicate-id")!;
    expect(duplicate).toMatchObject({ path: "evidence/attestations/x.yml", line: 3 });
    const { repository } = await loadAndValidate(dir, NOW, { retain: "summary", threads: 2 });
    const late = repository.evidence.find((r) => r.id === "attestations/late")!;
    expect(late.file.parsed.locate(["controls", 1])).toEqual({ line: 4, column: 20 });
  });

  it("checks on this thread what a worker that cannot start would have checked", async () => {
    const dir = await largeTroubledRepository();
    const here = await checkedWith(dir, fixture("fails-to-start.mjs"), 3);
    expect(here.checked.map((c) => c.path)).toEqual(here.paths);
    // Both workers failed, each said once.
    expect(here.failures).toEqual([
      expect.stringContaining("this worker cannot start"),
      expect.stringContaining("this worker cannot start"),
    ]);
    const real = await checkedWith(
      dir,
      fixture("../../../lib/src/adapters/validation-worker.js"),
      3,
    );
    expect(real.failures).toEqual([]);
    expect(here.checked).toEqual(real.checked);
  });

  it("loses no record when a worker dies holding batches", async () => {
    const dir = await largeTroubledRepository();
    const died = await checkedWith(dir, fixture("dies-on-second-batch.mjs"), 3);
    expect(died.failures).toEqual(["a checking thread exited with code 3"]);
    const oneThread = await checkedWith(dir, fixture("fails-to-start.mjs"), 1, true);
    expect(oneThread.failures).toEqual([]);
    expect(died.checked).toEqual(oneThread.checked);
    expect(died.checked.filter((c) => c.diagnostics.length > 0).length).toBeGreaterThan(3);
  });

  it("stops its workers when the reader stops early", async () => {
    const dir = await largeTroubledRepository();
    // In a process of its own, which ends by itself only when no worker is left running.
    const script = join(dir, "stop-early.mjs");
    await writeFile(
      script,
      `import { checkInThreads } from ${JSON.stringify(`${built}adapters/check-in-threads.js`)};
import { openRepository, readSourceSync } from ${JSON.stringify(`${built}adapters/read-repository.js`)};
import { startValidation } from ${JSON.stringify(`${built}core/validate.js`)};
const dir = process.argv[2];
const now = new Date(${JSON.stringify(NOW.toISOString())});
const opened = await openRepository(dir);
const validation = startValidation(opened.files, { now, retain: "summary" });
const first = [];
for await (const c of checkInThreads({ dir, files: opened.files, now }, opened.evidencePaths, {
  threads: 3,
  checkHere: (path) => validation.checkEvidence(readSourceSync(dir, path, 2 ** 20)),
  reread: opened.reread,
})) {
  first.push(c.path);
  if (first.length === 10) break;
}
console.log(JSON.stringify(first));
`,
    );
    const { stdout } = await run(process.execPath, [script, dir], { timeout: 20_000 });
    const opened = await openRepository(dir);
    expect(JSON.parse(stdout)).toEqual(opened.evidencePaths.slice(0, 10));
  });

  it("starts threads only for repositories large enough to pay for them", () => {
    expect(defaultThreads(500, 8, true)).toBe(1);
    expect(defaultThreads(2_000, 8, true)).toBe(2);
    expect(defaultThreads(100_000, 2, true)).toBe(2);
    expect(defaultThreads(100_000, 16, true)).toBe(4);
    expect(defaultThreads(100_000, 16, false)).toBe(1);
  });
});
