import { rename, writeFile } from "node:fs/promises";
import { readRegularFile } from "../../adapters/read-regular-file.js";
import { LIMITS } from "../../core/limits.js";
import { escapeControl } from "../../core/diagnostics.js";
import { recordDigest } from "../../core/record-digest.js";
import { EXIT, UsageError, type Output } from "../output.js";

export async function digestCommand(
  files: string[],
  options: { write?: boolean },
  io: Output,
): Promise<number> {
  let failed = false;
  for (const file of files) {
    // Follows no link and never blocks on a FIFO, like every other reader of records.
    const read = await readRegularFile(file, LIMITS.maxEvidenceFileBytes);
    if (read.kind === "unreadable") throw new UsageError(`cannot read ${file}: check the path`);
    if (read.kind !== "read") {
      io.err(
        `${escapeControl(file)}: ${read.kind === "too-large" ? `is too large (over the ${LIMITS.maxEvidenceFileBytes / (1024 * 1024)} MB limit for evidence records)` : `is ${read.what}, not a regular file: pass the record file itself`}\n`,
      );
      failed = true;
      continue;
    }
    const text = new TextDecoder().decode(read.bytes);
    const result = recordDigest(text, options.write === true);
    if (!result.ok) {
      io.err(`${escapeControl(file)}: ${escapeControl(result.problem)}\n`);
      failed = true;
      continue;
    }
    if (result.recorded !== undefined && result.recorded !== result.digest) {
      io.err(
        `${escapeControl(file)}: content hashes to ${result.digest} but the record says ${result.recorded}: the content changed after it was recorded\n`,
      );
      failed = true;
      continue;
    }
    if (result.text !== undefined) {
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, result.text, "utf8");
      await rename(temporary, file);
      io.out(`${escapeControl(file)}: wrote digest ${result.digest}\n`);
    } else {
      io.out(`${escapeControl(file)}: ${result.digest}${result.recorded ? " (matches)" : ""}\n`);
    }
  }
  return failed ? EXIT.findings : EXIT.ok;
}
