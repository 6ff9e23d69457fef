import { UsageError, type Output } from "../output.js";

/** Placeholder until the command lands. */
export async function populationCommand(
  _dir: string,
  _options: object,
  _io: Output,
): Promise<number> {
  throw new UsageError("soc2 population is not available yet");
}
