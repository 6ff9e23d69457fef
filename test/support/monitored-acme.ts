// The organization the monitoring tests snapshot, on the GitHub stand-in (every request checked
// against GitHub's OpenAPI description): acme requires two-factor authentication and has one
// owner; acme/web protects main.
import {
  startGitHubStandIn,
  type GitHubStandIn,
  type RepositoryState,
} from "../../src/dev/github-stand-in/index.js";
import type { Account, BranchProtectionConfig } from "../../src/dev/github-stand-in/state/types.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { createOpenApiChecker, type OpenApiChecker } from "./github-openapi.js";

export async function monitoredAcme(
  protection: BranchProtectionConfig = { requiredApprovingReviewCount: 1 },
): Promise<{ gh: GitHubStandIn; checker: OpenApiChecker; web: RepositoryState }> {
  const checker = createOpenApiChecker();
  const gh = await startGitHubStandIn({
    onRequest: checker.onRequest,
    onResponse: checker.onResponse,
  });
  gh.state.addOrganization("acme");
  gh.state.settings.configureOrganization("acme", {
    twoFactorRequired: true,
    owners: [gh.state.addUser("olivia")],
  });
  const web = gh.state.addRepository({ owner: "acme", name: "web", files: { "a.txt": "a\n" } });
  web.protectBranch("main", protection);
  return { gh, checker, web };
}

/**
 * The access an access review lists, on acme: olivia owns it, bob and sokafor are members, the
 * contractor is an outside collaborator; on acme/web bob has write and the contractor admin.
 */
export function seedReviewedAccess(gh: GitHubStandIn): { sam: Account } {
  gh.state.addOrganization("acme");
  const olivia = gh.state.addUser("olivia");
  const bob = gh.state.addUser("bob");
  const sam = gh.state.addUser("sokafor");
  const contractor = gh.state.addUser("contractor");
  gh.state.settings.configureOrganization("acme", {
    owners: [olivia],
    members: [bob, sam],
    outsideCollaborators: [contractor],
  });
  gh.state.addRepository({ owner: "acme", name: "web", files: { "a.txt": "a\n" } });
  gh.state.settings.addCollaborator("acme/web", { account: bob, role: "write", outside: false });
  gh.state.settings.addCollaborator("acme/web", {
    account: contractor,
    role: "admin",
    outside: true,
  });
  return { sam };
}

/**
 * A compliance repository whose soc2.yml monitors acme and acme/web and reviews their access for
 * GOV-01, owned by security-lead, who is on GitHub as `github` says (e.g. "github: [sokafor]").
 */
export function reviewedProgramFiles(github: string): Record<string, string> {
  const files = minimalRepo();
  files["soc2.yml"] =
    files["soc2.yml"]!.replace(
      "security-lead: { title: Head of Security, name: Sam Okafor }",
      `security-lead: { title: Head of Security, name: Sam Okafor, ${github} }`,
    ) +
    `monitoring:
  organization: acme
  repositories: [acme/web]
  access_review: { control: GOV-01 }
  desired_state:
    - control: GOV-01
      organization: { two_factor_required: false }
`;
  return files;
}
