import { getOctokit } from "@actions/github";
import { parse } from "yaml";
import type { GitHubClient } from "../../../src/adapters/github/client.js";
import {
  startGitHubStandIn,
  type GitHubStandIn,
  type RepositoryState,
} from "../../../src/dev/github-stand-in/index.js";
import { summarizeChainRecord, type VerifyChainInput } from "../../../src/core/evidence/index.js";
import { createOpenApiChecker, type OpenApiChecker } from "../../support/github-openapi.js";
import { client } from "../../support/github-scenario.js";

export interface Stand {
  gh: GitHubStandIn;
  checker: OpenApiChecker;
  evidence: RepositoryState;
  token: string;
  /** Octokit, as Probot and the Action hand it to the store (no retry or throttling plugins). */
  octokit: GitHubClient;
}

/** The stand-in with an evidence repository and an installation token, every request checked against OpenAPI. */
export async function startStand(
  options: { empty?: boolean; now?: () => Date } = {},
): Promise<Stand> {
  const checker = createOpenApiChecker();
  const gh = await startGitHubStandIn({
    onRequest: checker.onRequest,
    onResponse: checker.onResponse,
    ...(options.now ? { now: options.now } : {}),
  });
  const evidence = gh.state.addRepository({
    owner: "acme",
    name: "evidence",
    ...(options.empty ? { empty: true } : { files: { "README.md": "# evidence\n" } }),
  });
  gh.state.addInstallation({ id: 7, account: "acme" });
  // The stand-in takes any JWT-shaped bearer as the App's own credential.
  const minted = await client(gh, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")(
    "POST /app/installations/7/access_tokens",
  );
  const token = minted.data.token as string;
  const octokit = getOctokit(token, { baseUrl: gh.url }) as unknown as GitHubClient;
  return { gh, checker, evidence, token, octokit };
}

/** Every file under `folder` at the tip of `branch`, by path. */
export function filesAt(repo: RepositoryState, branch = "main", folder = "evidence"): Map<string, string> {
  const files = new Map<string, string>();
  for (const path of repo.listFiles(branch))
    if (path.startsWith(`${folder}/`)) files.set(path, repo.readFile(path, branch) ?? "");
  return files;
}

/** The evidence folder at a branch tip, as verifyChain takes it. */
export function chainInput(repo: RepositoryState, branch = "main"): VerifyChainInput {
  const files = filesAt(repo, branch);
  return {
    evidencePath: "evidence",
    records: [...files]
      .filter(([path]) => path.endsWith(".yml"))
      .map(([path, text]) => summarizeChainRecord(path, parse(text))),
    head: files.get("evidence/chain-head.json"),
  };
}
