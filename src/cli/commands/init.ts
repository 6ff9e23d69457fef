import { resolve } from "node:path";
import { readTemplates } from "../../adapters/read-templates.js";
import { isEmptyDir, writePlannedFiles } from "../../adapters/write-files.js";
import { CATEGORIES } from "../../core/criteria.js";
import { parseCategories, planRepository } from "../../core/init-plan.js";
import { EXIT, UsageError, type Output, clockOf } from "../output.js";

export async function initCommand(
  dirArg: string,
  options: { categories: string; organization: string },
  io: Output,
): Promise<number> {
  const { categories, unknown } = parseCategories(options.categories);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown categor${unknown.length > 1 ? "ies" : "y"} ${unknown.join(", ")}: choose from ${CATEGORIES.join(", ")}`,
    );
  }
  const dir = resolve(dirArg);
  if (!(await isEmptyDir(dir))) {
    throw new UsageError(
      `${dir} is not empty: soc2 init only writes into a new or empty folder, so it never overwrites your files`,
    );
  }
  const files = planRepository(await readTemplates(), {
    categories,
    organization: options.organization,
    date: clockOf(io).toISOString().slice(0, 10),
  });
  await writePlannedFiles(dir, files);
  const controls = files.filter((f) => f.path.startsWith("controls/")).length;
  const policies = files.filter((f) => f.path.startsWith("policies/")).length;
  io.out(
    `Created a compliance repository in ${dir}\n` +
      `  soc2.yml             program settings (scope: ${["security", ...categories.filter((c) => c !== "security")].join(", ")})\n` +
      `  controls/            ${controls} starter controls\n` +
      `  policies/            ${policies} policies\n` +
      `  evidence/            where evidence records go\n` +
      `  .github/workflows/   the soc2-as-code Action on every pull request\n\n` +
      `Next: fill in the TODOs in soc2.yml, adapt controls and policies to how you work, then run\n` +
      `  soc2 validate ${dirArg}\n`,
  );
  return EXIT.ok;
}
