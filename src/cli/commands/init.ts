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
      `Everything starts as a draft: controls are planned and policies unapproved, and soc2 report,\n` +
      `soc2 summary and the portal say DRAFT while any TODO placeholder is left.\n\n` +
      `Next:\n` +
      `  1. fill in the TODOs in soc2.yml and name the person holding each owner role\n` +
      `  2. adapt controls and policies to how you work; set a control's status to implemented once\n` +
      `     it operates and its evidence is being recorded, and a policy's status to approved (with\n` +
      `     last_reviewed and approved_by) once its owner approves it\n` +
      `  3. replace @your-org/compliance-admins in .github/CODEOWNERS with the team that must review\n` +
      `     changes to the workflow and soc2.yml, and protect the branch (see docs/action.md)\n` +
      `  4. soc2 validate ${dirArg}   (lists every placeholder left)\n`,
  );
  return EXIT.ok;
}
