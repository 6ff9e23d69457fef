import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import {
  ACCESS_REVIEWS_DIR,
  readAccessReview,
  type AccessReview,
} from "../../core/monitoring/index.js";

/**
 * The access reviews merged into the compliance repository at `dir` (access-reviews/*.yaml),
 * read leniently: a file that does not parse is left to `soc2 validate` to report.
 */
export async function readAccessReviews(dir: string): Promise<AccessReview[]> {
  const folder = join(dir, ACCESS_REVIEWS_DIR);
  const names = await readdir(folder).catch(() => [] as string[]);
  const out: AccessReview[] = [];
  for (const name of names.filter((n) => /\.ya?ml$/i.test(n)).sort()) {
    try {
      const review = readAccessReview(
        parse(await readFile(join(folder, name), "utf8")),
        `${ACCESS_REVIEWS_DIR}/${name}`,
      );
      if (review) out.push(review);
    } catch {
      // Not YAML: soc2 validate says where and why.
    }
  }
  return out;
}
