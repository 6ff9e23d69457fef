import pc from "picocolors";

/** Where a command writes: injectable so tests can capture output without spawning a process. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  color: pc.isColorSupported && process.stdout.isTTY === true,
};

/** A problem with how the command was called (exit 2), as opposed to a problem found in the repository (exit 1). */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export function parseFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown --format "${value}": use one of ${allowed.join(", ")}`);
}
