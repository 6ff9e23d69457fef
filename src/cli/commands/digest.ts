import { readFile, rename, writeFile } from "node:fs/promises";
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
    const text = await readFile(file, "utf8").catch(() => {
      throw new UsageError(`cannot read ${file}: check the path`);
    });
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
