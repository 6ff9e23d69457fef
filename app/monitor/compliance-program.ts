import { readFile } from "node:fs/promises";
import { dirname, join, posix, resolve } from "node:path";
import type { Probot } from "probot";
import { attempt, type GitHubClient } from "../../src/adapters/github/client.js";
import { PolicyError, programFromText } from "../../src/adapters/github/program-text.js";
import { readFileAt } from "../../src/adapters/github/read-file.js";
import {
  readAccessReviews,
  readAccessReviewsAt,
} from "../../src/adapters/monitoring/read-access-reviews.js";
import { parsePolicySource } from "../../src/core/change-management/policy-source.js";
import type { AccessReview } from "../../src/core/monitoring/index.js";
import type { AppConfig } from "../config.js";
import { installationClient } from "../evidence-store.js";

/** The compliance repository's soc2.yml, and where it was read. */
export interface ComplianceProgram {
  program: unknown;
  /** e.g. acme/compliance:soc2.yml@main, or the file in the git store's checkout. */
  label: string;
  /** The compliance repository on GitHub (owner/name); undefined when read from a git checkout. */
  repository?: string;
  /** soc2.yml's path in that repository. */
  path?: string;
  /** The ref it was read at on GitHub (a branch); undefined when read from a git checkout. */
  ref?: string;
  /** The access reviews merged there (access-reviews/*.yaml beside soc2.yml, at the same ref). */
  reviews: AccessReview[];
}

/**
 * Reads the soc2.yml that declares the desired state, where the App's settings say the compliance
 * repository is: POLICY_REPOSITORY (owner/name[:path][@ref]); else the evidence repository,
 * EVIDENCE_REPO at EVIDENCE_BRANCH; else POLICY_PATH in the git store's checkout (EVIDENCE_GIT_DIR).
 */
export async function readComplianceProgram(
  probot: Probot,
  config: AppConfig,
): Promise<ComplianceProgram> {
  const evidence = config.evidence;
  if (config.policyRepository === "" && evidence.type === "git") {
    const path = join(resolve(evidence.dir), config.policyPath);
    const text = await readFile(path, "utf8").catch(() => {
      throw new PolicyError(
        `cannot read ${path}: set POLICY_REPOSITORY to the compliance repository whose soc2.yml declares monitoring.desired_state`,
      );
    });
    return {
      program: programFromText(config.policyPath, text, path).parsed.value,
      label: path,
      reviews: await readAccessReviews(dirname(path)),
    };
  }
  const source =
    config.policyRepository !== ""
      ? parsePolicySource(config.policyRepository, "", config.policyPath)
      : {
          repository: evidence.type === "github" ? evidence.repository : "",
          path: config.policyPath,
          ref: evidence.branch,
        };
  // readConfig has refused a malformed POLICY_REPOSITORY already.
  if ("problem" in source) throw new PolicyError(source.problem);
  const client = await installationClient(probot, source.repository);
  const ref = source.ref ?? (await defaultBranch(client, source.repository));
  const label = `${source.repository}:${source.path}@${ref}`;
  const text = await readFileAt(client, source.repository, source.path, ref);
  if (text === null)
    throw new PolicyError(
      `no ${source.path} in ${label}: monitoring reads monitoring.desired_state from the compliance repository's soc2.yml`,
    );
  return {
    program: programFromText(source.path, text, label).parsed.value,
    label,
    repository: source.repository,
    path: source.path,
    ref,
    reviews: await readAccessReviewsAt(client, source.repository, ref, posix.dirname(source.path)),
  };
}

async function defaultBranch(client: GitHubClient, repository: string): Promise<string> {
  const [owner, repo] = repository.split("/");
  const { data } = await attempt(`reading ${repository}`, () =>
    client.request("GET /repos/{owner}/{repo}", { owner, repo }),
  );
  return String((data as { default_branch?: unknown }).default_branch ?? "main");
}
