import { readdir, readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { parse } from "yaml";
import {
  ACCESS_REVIEWS_DIR,
  readAccessReview,
  type AccessReview,
} from "../../core/monitoring/index.js";
import type { GitHubClient } from "../github/client.js";
import { listFolderAt } from "../github/read-folder.js";
import { readFileAt } from "../github/read-file.js";

const REVIEW_FILE = /\.ya?ml$/i;

/**
 * The access reviews merged into the compliance repository at `dir` (access-reviews/*.yaml),
 * read leniently: a file that does not parse is left to `soc2 validate` to report.
 */
export async function readAccessReviews(dir: string): Promise<AccessReview[]> {
  const folder = join(dir, ACCESS_REVIEWS_DIR);
  const names = await readdir(folder).catch(() => [] as string[]);
  const files: Array<{ name: string; text: string }> = [];
  for (const name of names.filter((n) => REVIEW_FILE.test(n)).sort())
    files.push({ name, text: await readFile(join(folder, name), "utf8") });
  return reviewsOf(files);
}

/**
 * The same, read from the compliance repository on GitHub at `ref` (the ref its soc2.yml was read
 * at) through the contents API, in the folder `dir` holds soc2.yml in ("." for the root): no
 * access-reviews/ folder there is no review.
 */
export async function readAccessReviewsAt(
  client: GitHubClient,
  repository: string,
  ref: string,
  dir = ".",
): Promise<AccessReview[]> {
  const folder = posix.join(dir, ACCESS_REVIEWS_DIR);
  const listing = await listFolderAt(client, repository, folder, ref);
  const files: Array<{ name: string; text: string }> = [];
  for (const entry of (listing ?? [])
    .filter((e) => e.type === "file" && REVIEW_FILE.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const text = await readFileAt(client, repository, entry.path, ref);
    if (text !== null) files.push({ name: entry.name, text });
  }
  return reviewsOf(files);
}

function reviewsOf(files: ReadonlyArray<{ name: string; text: string }>): AccessReview[] {
  const out: AccessReview[] = [];
  for (const { name, text } of files) {
    try {
      const review = readAccessReview(parse(text), `${ACCESS_REVIEWS_DIR}/${name}`);
      if (review) out.push(review);
    } catch {
      // Not YAML: soc2 validate says where and why.
    }
  }
  return out;
}
