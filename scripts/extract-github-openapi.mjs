#!/usr/bin/env node
// Extracts the GitHub REST operations soc2-as-code calls from GitHub's OpenAPI description into a
// small committed fixture, test/fixtures/github-api/openapi-subset.json. Tests check every request
// the Action and the App send (and every response the loopback GitHub API returns) against it.
//
// The full description is large (the @octokit/openapi package is ~385 MB unpacked), so it is not a
// dependency. To refresh the subset:
//   npm install --no-save --prefix /tmp/oa @octokit/openapi
//   node scripts/extract-github-openapi.mjs /tmp/oa/node_modules/@octokit/openapi/generated/api.github.com.json
import { readFileSync, writeFileSync } from "node:fs";

export const OPERATIONS = [
  ["get", "/repos/{owner}/{repo}"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/commits"],
  ["get", "/repos/{owner}/{repo}/pulls/{pull_number}/files"],
  ["get", "/repos/{owner}/{repo}/issues/{issue_number}/timeline"],
  ["get", "/repos/{owner}/{repo}/contents/{path}"],
  ["put", "/repos/{owner}/{repo}/contents/{path}"],
  ["get", "/repos/{owner}/{repo}/commits"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}/check-runs"],
  ["get", "/repos/{owner}/{repo}/commits/{ref}/status"],
  ["get", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls"],
  ["get", "/repos/{owner}/{repo}/activity"],
  ["get", "/repos/{owner}/{repo}/compare/{basehead}"],
  ["get", "/repos/{owner}/{repo}/branches/{branch}"],
  ["get", "/repos/{owner}/{repo}/branches/{branch}/protection"],
  ["get", "/repos/{owner}/{repo}/rules/branches/{branch}"],
  ["get", "/orgs/{org}/teams/{team_slug}/members"],
  ["get", "/repos/{owner}/{repo}/git/ref/{ref}"],
  ["post", "/repos/{owner}/{repo}/git/refs"],
  ["patch", "/repos/{owner}/{repo}/git/refs/{ref}"],
  ["get", "/repos/{owner}/{repo}/git/commits/{commit_sha}"],
  ["post", "/repos/{owner}/{repo}/git/commits"],
  ["get", "/repos/{owner}/{repo}/git/trees/{tree_sha}"],
  ["post", "/repos/{owner}/{repo}/git/trees"],
  ["post", "/repos/{owner}/{repo}/git/blobs"],
  ["get", "/repos/{owner}/{repo}/git/blobs/{file_sha}"],
  ["get", "/repos/{owner}/{repo}/installation"],
  ["post", "/app/installations/{installation_id}/access_tokens"],
  ["get", "/app"],
  ["get", "/repos/{owner}/{repo}/pulls"],
  ["get", "/app/installations"],
  ["get", "/installation/repositories"],
  // Continuous monitoring (soc2 monitor): organization and repository settings.
  ["get", "/orgs/{org}"],
  ["get", "/orgs/{org}/members"],
  ["get", "/orgs/{org}/outside_collaborators"],
  ["get", "/repos/{owner}/{repo}/branches"],
  ["get", "/repos/{owner}/{repo}/collaborators"],
  // Drift issues in the compliance repository.
  ["get", "/repos/{owner}/{repo}/issues"],
  ["post", "/repos/{owner}/{repo}/issues"],
  ["patch", "/repos/{owner}/{repo}/issues/{issue_number}"],
  ["get", "/app/hook/deliveries"],
  ["post", "/app/hook/deliveries/{delivery_id}/attempts"],
  // Continuous monitoring, the items of issue 11 part 1 collected later.
  ["get", "/repos/{owner}/{repo}/rulesets/{ruleset_id}"],
  ["get", "/repos/{owner}/{repo}/teams"],
  ["get", "/orgs/{org}/invitations"],
  ["get", "/orgs/{org}/installations"],
  ["get", "/repos/{owner}/{repo}/code-scanning/default-setup"],
  ["get", "/repos/{owner}/{repo}/dependabot/alerts"],
  ["get", "/repos/{owner}/{repo}/code-scanning/alerts"],
  ["get", "/repos/{owner}/{repo}/secret-scanning/alerts"],
  ["get", "/repos/{owner}/{repo}/keys"],
  ["get", "/repos/{owner}/{repo}/hooks"],
  // The audit log API is GitHub Enterprise Cloud's: described in ghec.json beside api.github.com.json.
  ["get", "/orgs/{org}/audit-log", "ghec"],
  // Access reviews: a pull request in the compliance repository, the control's owner asked to review.
  ["post", "/repos/{owner}/{repo}/pulls"],
  ["post", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"],
];

function collectRefs(node, found, spec) {
  if (Array.isArray(node)) return node.forEach((n) => collectRefs(n, found, spec));
  // found: ref → the description it comes from (an operation of ghec.json takes its components there).
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (
      key === "$ref" &&
      typeof value === "string" &&
      value.startsWith("#/components/") &&
      !found.has(value)
    ) {
      found.set(value, spec);
      const [, , kind, name] = value.split("/");
      collectRefs(spec.components[kind][name], found, spec);
    } else collectRefs(value, found, spec);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const source = process.argv[2];
  if (!source) {
    console.error("usage: node scripts/extract-github-openapi.mjs <api.github.com.json>");
    process.exit(2);
  }
  const spec = JSON.parse(readFileSync(source, "utf8"));
  const specs = {
    default: spec,
    ghec: JSON.parse(readFileSync(source.replace(/api\.github\.com\.json$/, "ghec.json"), "utf8")),
  };
  const paths = {};
  const refs = new Map();
  for (const [method, path, from = "default"] of OPERATIONS) {
    const operation = specs[from].paths[path]?.[method];
    if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the description`);
    const { summary, operationId, parameters, requestBody, responses } = operation;
    paths[path] = {
      ...paths[path],
      [method]: { summary, operationId, parameters, requestBody, responses },
    };
    collectRefs(paths[path][method], refs, specs[from]);
  }
  const components = {};
  for (const ref of [...refs.keys()].sort()) {
    const [, , kind, name] = ref.split("/");
    (components[kind] ??= {})[name] = refs.get(ref).components[kind][name];
  }
  const subset = {
    openapi: spec.openapi,
    info: { title: `${spec.info.title} (subset used by soc2-as-code)`, version: spec.info.version },
    paths,
    components,
  };
  writeFileSync(
    new URL("../test/fixtures/github-api/openapi-subset.json", import.meta.url),
    JSON.stringify(subset) + "\n",
  );
  console.log(`${OPERATIONS.length} operations, ${refs.size} components`);
}
