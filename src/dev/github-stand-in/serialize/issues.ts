import type { RepositoryState } from "../state/repository.js";
import type { IssueState } from "../state/issues.js";
import { nodeId, type SerializeContext } from "./context.js";
import { simpleUser } from "./users.js";

/** An issue as GitHub's `issue`. */
export function serializeIssue(
  ctx: SerializeContext,
  repo: RepositoryState,
  issue: IssueState,
): Record<string, unknown> {
  const api = `${ctx.api}/repos/${repo.fullName}`;
  const url = `${api}/issues/${issue.number}`;
  return {
    id: issue.id,
    node_id: nodeId("Issue", issue.id),
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${ctx.web}/${repo.fullName}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: simpleUser(ctx, issue.author),
    labels: issue.labels.map((name, i) => ({
      id: issue.id * 100 + i,
      node_id: nodeId("Label", issue.id * 100 + i),
      url: `${api}/labels/${encodeURIComponent(name)}`,
      name,
      description: null,
      color: "d93f0b",
      default: false,
    })),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: 0,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: "NONE",
  };
}
