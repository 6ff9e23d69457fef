import { packageRoot } from "../../adapters/package-root.js";
import type { Output } from "../output.js";
import { coverageCommand } from "./coverage.js";
import { validateCommand } from "./validate.js";

/**
 * The README's main job. Until the App's end-to-end demo lands, it validates this repository (a
 * working example compliance repository) and prints its criteria coverage.
 */
export async function demoCommand(io: Output): Promise<number> {
  const root = packageRoot();
  io.out(`soc2-as-code demo: validating the example compliance repository in ${root}\n\n`);
  const validation = await validateCommand(root, { format: "text" }, io);
  io.out(`\nCriteria coverage of ${root}:\n\n`);
  const coverage = await coverageCommand(root, { format: "text" }, io);
  io.out(
    `\nTry it on your own program: npx soc2 init ./my-compliance --categories security,availability\n`,
  );
  return Math.max(validation, coverage);
}
