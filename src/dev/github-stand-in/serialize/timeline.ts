import type { PullRequestState } from "../state/pull-request.js";
import type { TimelineRecord } from "../state/timeline.js";
import { gitCommit } from "./commits.js";
import { nodeId, type SerializeContext } from "./context.js";
import { review } from "./pulls.js";
import { simpleUser } from "./users.js";

/** One timeline record as GitHub's timeline event JSON (`timeline-issue-events`). */
export function timelineEvent(
  ctx: SerializeContext,
  pr: PullRequestState,
  record: TimelineRecord,
): Record<string, unknown> | undefined {
  const repo = pr.repo;
  if (record.event === "raw") return record.payload;
  if (record.event === "committed") {
    const commit = repo.git.commits.get(record.sha);
    return commit ? { ...gitCommit(ctx, repo, commit), event: "committed" } : undefined;
  }
  if (record.event === "reviewed") {
    const r = pr.reviews.find((x) => x.id === record.reviewId);
    if (!r) return undefined;
    // The timeline spells review states in lower case.
    return { ...review(ctx, pr, r), event: "reviewed", state: r.state.toLowerCase() };
  }
  const base = {
    id: record.id,
    node_id: nodeId("IssueEvent", record.id),
    url: `${ctx.api}/repos/${repo.fullName}/issues/events/${record.id}`,
    actor: simpleUser(ctx, record.actor),
    event: record.event,
    created_at: record.at,
    performed_via_github_app: null,
  };
  if ("label" in record) {
    return { ...base, commit_id: null, commit_url: null, label: record.label };
  }
  const commitUrl = (sha: string | null) =>
    sha ? `${ctx.api}/repos/${repo.fullName}/commits/${sha}` : null;
  if (record.event === "review_dismissed") {
    return {
      ...base,
      commit_id: null,
      commit_url: null,
      dismissed_review: {
        state: record.stateBefore.toLowerCase(),
        review_id: record.reviewId,
        dismissal_message: record.message,
        ...(record.commitId ? { dismissal_commit_id: record.commitId } : {}),
      },
    };
  }
  return {
    ...base,
    commit_id: record.commitId,
    commit_url: commitUrl(record.commitId),
  };
}
