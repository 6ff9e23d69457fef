import { UsageError, type Output } from "../output.js";

/** Placeholder until the command lands. */
export async function verifyCommand(_dir: string, _options: object, _io: Output): Promise<number> {
  throw new UsageError("soc2 verify is not available yet");
}
