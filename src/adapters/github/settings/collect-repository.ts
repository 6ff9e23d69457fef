import { asList, asObject, asString } from "../../../core/json-read.js";
import {
  isNotAvailable,
  type BranchSettings,
  type RepositorySettings,
} from "../../../core/monitoring/index.js";
import { GitHubApiError } from "../client.js";
import { collaboratorRef, collectRepositoryItems } from "./collect-items.js";
import type { PartReader } from "./read-part.js";

/**
 * A repository's settings: its security features, its outside collaborators, and the classic
 * protection and ruleset rules of its default branch and of every other protected branch; then
 * every collaborator and team with their role, the rulesets' bypass actors, code scanning, open
 * critical and high alerts, deploy keys and webhooks (collect-items.ts).
 */
export async function collectRepositorySettings(
  read: PartReader,
  fullName: string,
): Promise<RepositorySettings> {
  const [owner = "", repo = ""] = fullName.split("/");
  const base = { owner, repo };
  const repository = await read.get("GET /repos/{owner}/{repo}", base, asObject);
  // Without the repository itself there is nothing to snapshot: that is a failure, not a gap.
  if (isNotAvailable(repository))
    throw new GitHubApiError(`reading repository ${fullName}`, undefined, {
      cause: new Error(repository.not_available),
    });
  const defaultBranch = asString(repository.default_branch) ?? "main";
  const [protectedBranches, outside] = await Promise.all([
    read.list(
      "GET /repos/{owner}/{repo}/branches",
      { ...base, protected: true },
      (b) => asString(asObject(b).name) ?? "",
    ),
    read.list(
      "GET /repos/{owner}/{repo}/collaborators",
      { ...base, affiliation: "outside" },
      collaboratorRef,
    ),
  ]);
  const others = isNotAvailable(protectedBranches)
    ? []
    : protectedBranches.filter((b) => b && b !== defaultBranch).sort();
  const branches = await Promise.all(
    [defaultBranch, ...others].map((name) => branchSettings(read, base, name)),
  );
  const security = repository.security_and_analysis;
  return {
    repository: {
      full_name: asString(repository.full_name) ?? fullName,
      id: typeof repository.id === "number" ? repository.id : 0,
      default_branch: defaultBranch,
      ...(typeof repository.visibility === "string" ? { visibility: repository.visibility } : {}),
      ...(typeof repository.archived === "boolean" ? { archived: repository.archived } : {}),
    },
    security_and_analysis:
      security && typeof security === "object"
        ? (security as Record<string, unknown>)
        : {
            not_available:
              "GitHub gave no security_and_analysis for the repository: it shows it only to callers with admin access (repository Administration: read)",
          },
    branches,
    outside_collaborators: isNotAvailable(outside)
      ? outside
      : [...outside].sort((a, b) => a.login.localeCompare(b.login)),
    ...(await collectRepositoryItems(read, fullName, branches)),
  };
}

async function branchSettings(
  read: PartReader,
  base: { owner: string; repo: string },
  branch: string,
): Promise<BranchSettings> {
  const [protection, rules] = await Promise.all([
    read.get(
      "GET /repos/{owner}/{repo}/branches/{branch}/protection",
      { ...base, branch },
      (data) => withoutUrls(data) as Record<string, unknown>,
      {
        // GitHub answers 404 "Branch not protected" for a branch without classic protection.
        on404: (message) => (/not protected/i.test(message) ? null : undefined),
      },
    ),
    read.list(
      "GET /repos/{owner}/{repo}/rules/branches/{branch}",
      { ...base, branch },
      (rule) => withoutUrls(rule) as Record<string, unknown>,
    ),
  ]);
  return { name: branch, protection, rules };
}

/**
 * The value without API URLs: they carry no setting, and keeping them would make the same
 * settings read through another host (GHES, a proxy) look changed.
 */
function withoutUrls(value: unknown): unknown {
  if (Array.isArray(value)) return asList(value).map(withoutUrls);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "url" && !key.endsWith("_url"))
      .map(([key, v]) => [key, withoutUrls(v)]),
  );
}
