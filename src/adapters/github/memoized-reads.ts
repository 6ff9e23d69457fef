import type { GitHubClient } from "./client.js";

// Reads whose answer does not change while one reconciliation runs: a repository (a central policy
// repository's default branch) and a file at a ref (the policy, a control file, CODEOWNERS).
const STABLE = new Set([
  "GET /repos/{owner}/{repo}",
  "GET /repos/{owner}/{repo}/contents/{path}",
  "GET /orgs/{org}/teams/{team_slug}/members",
]);

/**
 * A client that asks GitHub each stable read (see STABLE) once, and answers it again from memory,
 * failures included: a run over thousands of merges reads a central policy once, not per merge.
 * For one run only: a new run builds a new one, so it sees what changed since.
 */
export function memoizedReads(client: GitHubClient): GitHubClient {
  const known = new Map<string, Promise<unknown>>();
  const once = <T>(kind: string, route: string, parameters: unknown, run: () => Promise<T>) => {
    if (!STABLE.has(route)) return run();
    const key = `${kind} ${route} ${JSON.stringify(parameters ?? {})}`;
    let answer = known.get(key) as Promise<T> | undefined;
    if (!answer) known.set(key, (answer = run()));
    return answer;
  };
  return {
    request: (route, parameters) =>
      once("request", route, parameters, () => client.request(route, parameters)),
    paginate: (route, parameters) =>
      once("paginate", route, parameters, () => client.paginate(route, parameters)),
  };
}
