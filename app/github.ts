import type { Context } from "probot";
import { statusOf, type GitHubClient } from "../src/adapters/github/client.js";
import type { GraphQLClient } from "../src/adapters/github/graphql-client.js";
import { loadPolicy, PolicyError, type LoadedPolicy } from "../src/adapters/github/load-policy.js";
import type { readFileAt } from "../src/adapters/github/read-file.js";
import type { ChangedFile } from "../src/core/change-management/facts.js";
import { readChangePolicy, type ChangePolicy } from "../src/core/change-management/policy.js";
import {
  parsePolicySource,
  type PolicySource,
} from "../src/core/change-management/policy-source.js";
import type { AppConfig } from "./config.js";

/** Probot's installation Octokit has the request and paginate the shared collectors use. */
export function clientOf(context: Context): GitHubClient {
  return context.octokit as unknown as GitHubClient;
}

/** The same Octokit's GraphQL, unless GITHUB_API=rest. */
export function graphqlClientOf(context: Context, config: AppConfig): GraphQLClient | undefined {
  return config.githubApi === "graphql" ? (context.octokit as unknown as GraphQLClient) : undefined;
}

/**
 * The repository's own policy file, when the policy is read from the repository itself at the
 * base (not POLICY_REPOSITORY): a GraphQL read can bring it along.
 */
export function ownPolicyPath(config: AppConfig, repository: string): string | undefined {
  const source = parsePolicySource(config.policyRepository, repository, config.policyPath);
  return "problem" in source || source.repository !== repository || source.ref !== undefined
    ? undefined
    : source.path;
}

/**
 * Where a repository's policy comes from: POLICY_REPOSITORY, or the repository's own soc2.yml at
 * the base commit. A central repository named without @ref is read at its default branch.
 */
export async function policySourceFor(
  client: GitHubClient,
  config: AppConfig,
  repository: string,
): Promise<PolicySource> {
  const source = parsePolicySource(config.policyRepository, repository, config.policyPath);
  if ("problem" in source) throw new Error(source.problem); // readConfig already checked it
  if (source.ref !== undefined || source.repository === repository) return source;
  const [owner, repo] = source.repository.split("/");
  const { data } = await client.request("GET /repos/{owner}/{repo}", { owner, repo });
  const branch = (data as { default_branch?: unknown }).default_branch;
  return { ...source, ref: typeof branch === "string" ? branch : "main" };
}

export interface PolicyInForce {
  policy: ChangePolicy;
  /** owner/name:path@ref, or why the fallback was used. */
  label: string;
  /** Set when no valid policy could be read and the strict defaults with PROTECTED_BRANCHES apply. */
  fallback?: string;
}

/**
 * The policy at a commit of the base branch (never the pull request's). When the repository has
 * no valid soc2.yml, the change is still recorded, judged by the strict default rules on the
 * PROTECTED_BRANCHES: a change population must not lose changes to a missing file.
 */
export async function policyAt(
  client: GitHubClient,
  config: AppConfig,
  repository: string,
  baseRef: string,
  changed: readonly ChangedFile[],
  readAt?: typeof readFileAt,
): Promise<PolicyInForce> {
  const source = await policySourceFor(client, config, repository);
  try {
    const loaded: LoadedPolicy = await loadPolicy(client, source, baseRef, changed, readAt);
    return { policy: loaded.policy, label: loaded.label };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return {
      policy: readChangePolicy({ change_management: { branches: config.protectedBranches } }),
      label: `default rules on ${config.protectedBranches.join(", ")}`,
      fallback: error.message,
    };
  }
}

/** A GET that answers undefined for 404 and 422 (a commit GitHub does not know), and throws otherwise. */
export async function getOrUndefined(
  client: GitHubClient,
  route: string,
  parameters: Record<string, unknown>,
): Promise<unknown> {
  try {
    return (await client.request(route, parameters)).data;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 422) return undefined;
    throw error;
  }
}
