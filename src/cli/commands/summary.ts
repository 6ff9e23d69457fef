import { UsageError, type Output } from "../output.js";

/** Placeholder until the command lands. */
export async function summaryCommand(_dir: string, _options: object, _io: Output): Promise<number> {
  throw new UsageError("soc2 summary is not available yet");
}
