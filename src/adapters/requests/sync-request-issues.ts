import { asObject } from "../../core/json-read.js";
import type { AuditRequest } from "../../core/requests/request.js";
import {
  planRequestIssues,
  REQUEST_LABEL,
  type RequestIssueAction,
} from "../../core/requests/request-issues.js";
import { attempt, type GitHubClient } from "../github/client.js";
import { openIssuesLabelled } from "../github/labelled-issues.js";

export interface SyncedRequestIssue {
  action: RequestIssueAction;
  /** The issue number (for an opening: once GitHub created it; absent on a dry run). */
  number?: number;
}

/**
 * Brings a repository's request issues in line with the request files: one open issue per open
 * request, closed once it is answered. The open issues are listed by label and found by marker
 * before anything is created, so reruns do not open duplicates. `dryRun`: plan only.
 */
export async function syncRequestIssues(input: {
  client: GitHubClient;
  repository: string;
  requests: readonly AuditRequest[];
  dryRun?: boolean;
}): Promise<SyncedRequestIssue[]> {
  const { client, repository } = input;
  const [owner, repo] = repository.split("/") as [string, string];
  const issues = await openIssuesLabelled(client, repository, REQUEST_LABEL, "request issues");
  const plan = planRequestIssues(input.requests, issues);
  if (input.dryRun)
    return plan.map((action) => ({
      action,
      ...("number" in action ? { number: action.number } : {}),
    }));
  const out: SyncedRequestIssue[] = [];
  for (const action of plan) {
    const response =
      action.action === "open"
        ? await attempt(`opening the issue of request ${action.key} in ${repository}`, () =>
            client.request("POST /repos/{owner}/{repo}/issues", {
              owner,
              repo,
              title: action.title,
              body: action.body,
              labels: [REQUEST_LABEL],
            }),
          )
        : await attempt(
            `${action.action === "update" ? "updating" : "closing"} issue #${action.number} of request ${action.key} in ${repository}`,
            () =>
              client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
                owner,
                repo,
                issue_number: action.number,
                ...(action.action === "update"
                  ? { title: action.title, body: action.body }
                  : { state: "closed", state_reason: action.reason }),
              }),
          );
    const number = asObject(response.data).number;
    out.push({ action, ...(typeof number === "number" ? { number } : {}) });
  }
  return out;
}
