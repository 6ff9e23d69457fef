import { asObject, asString } from "../../core/json-read.js";
import { attempt, type GitHubClient } from "./client.js";

/** An open issue, as the issue syncs (drift, requests) read it. */
export interface OpenIssue {
  number: number;
  body: string;
}

/**
 * The open issues of a repository that carry a label: the issues a sync owns, read before it
 * creates anything. The issues API also lists pull requests; they are left out.
 */
export async function openIssuesLabelled(
  client: GitHubClient,
  repository: string,
  label: string,
  what: string,
): Promise<OpenIssue[]> {
  const [owner, repo] = repository.split("/");
  const listed = await attempt(`listing the ${what} of ${repository}`, () =>
    client.paginate("GET /repos/{owner}/{repo}/issues", {
      owner,
      repo,
      labels: label,
      state: "open",
      per_page: 100,
    }),
  );
  return listed.flatMap((item) => {
    const i = asObject(item);
    if (i.pull_request !== undefined || typeof i.number !== "number") return [];
    return [{ number: i.number, body: asString(i.body) ?? "" }];
  });
}
