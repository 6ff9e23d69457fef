import type { PullRequestState, ReviewRecord } from "../state/pull-request.js";
import type { RepositoryState } from "../state/repository.js";
import type { Team } from "../state/types.js";
import { nodeId, type SerializeContext } from "./context.js";
import { serializeRepository } from "./repositories.js";
import { simpleUser } from "./users.js";

// GitHub's author_association, approximated: the owner, an org repository's members, or none.
export function association(
  repo: RepositoryState,
  accountId: number,
): "OWNER" | "MEMBER" | "CONTRIBUTOR" | "NONE" {
  if (repo.owner.id === accountId) return "OWNER";
  const inTeam = [...repo.state.teams.values()].some(
    (t) =>
      t.org.toLowerCase() === repo.owner.login.toLowerCase() &&
      [...t.members, ...t.maintainers].some((m) => m.id === accountId),
  );
  if (inTeam) return "MEMBER";
  const contributed = [...repo.git.commits.values()].some((c) => c.authorId === accountId);
  return contributed ? "CONTRIBUTOR" : "NONE";
}

function branch(
  ctx: SerializeContext,
  repo: RepositoryState,
  ref: string,
  sha: string,
): Record<string, unknown> {
  return {
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha,
    user: simpleUser(ctx, repo.owner),
    repo: serializeRepository(ctx, repo),
  };
}

/** A pull request as `pull-request-simple` (list endpoints). */
export function pullRequestSimple(
  ctx: SerializeContext,
  pr: PullRequestState,
): Record<string, unknown> {
  const repo = pr.repo;
  const api = `${ctx.api}/repos/${repo.fullName}`;
  const html = `${ctx.web}/${repo.fullName}/pull/${pr.number}`;
  const links = {
    self: { href: `${api}/pulls/${pr.number}` },
    html: { href: html },
    issue: { href: `${api}/issues/${pr.number}` },
    comments: { href: `${api}/issues/${pr.number}/comments` },
    review_comments: { href: `${api}/pulls/${pr.number}/comments` },
    review_comment: { href: `${api}/pulls/comments{/number}` },
    commits: { href: `${api}/pulls/${pr.number}/commits` },
    statuses: { href: `${api}/statuses/${pr.headSha}` },
  };
  return {
    url: links.self.href,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: links.issue.href,
    commits_url: links.commits.href,
    review_comments_url: links.review_comments.href,
    review_comment_url: links.review_comment.href,
    comments_url: links.comments.href,
    statuses_url: links.statuses.href,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: simpleUser(ctx, pr.author),
    body: pr.body,
    labels: pr.labels.map((l) => ({
      id: l.id,
      node_id: nodeId("Label", l.id),
      url: `${api}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      description: l.description,
      color: l.color,
      default: false,
    })),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: pr.requestedReviewers.map((a) => simpleUser(ctx, a)),
    requested_teams: pr.requestedTeams.map((t) => teamSimple(ctx, t)),
    head: branch(ctx, pr.headRepository, pr.headRef, pr.headSha),
    base: branch(ctx, repo, pr.baseRef, pr.baseSha),
    _links: links,
    author_association: association(repo, pr.author.id),
    auto_merge: null,
    draft: pr.draft,
  };
}

/** A team as `team` (without a parent team). */
function teamSimple(ctx: SerializeContext, t: Team): Record<string, unknown> {
  const url = `${ctx.api}/organizations/1/team/${t.id}`;
  return {
    id: t.id,
    node_id: nodeId("Team", t.id),
    url,
    members_url: `${url}/members{/member}`,
    name: t.name,
    description: null,
    permission: "pull",
    privacy: "closed",
    notification_setting: "notifications_enabled",
    html_url: `${ctx.web}/orgs/${t.org}/teams/${t.slug}`,
    repositories_url: `${url}/repos`,
    slug: t.slug,
    type: "organization",
    parent: null,
  };
}

/** A pull request as `pull-request` (GET …/pulls/{n}), with merge facts and counts. */
export function pullRequest(ctx: SerializeContext, pr: PullRequestState): Record<string, unknown> {
  const files = pr.files();
  return {
    ...pullRequestSimple(ctx, pr),
    merged: pr.merged,
    mergeable: pr.state === "open" ? true : null,
    rebaseable: pr.state === "open" ? true : null,
    mergeable_state: pr.state === "open" ? (pr.draft ? "draft" : "clean") : "unknown",
    merged_by: pr.mergedBy ? simpleUser(ctx, pr.mergedBy) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commitShas.length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}

/** A review as `pull-request-review`. */
export function review(
  ctx: SerializeContext,
  pr: PullRequestState,
  r: ReviewRecord,
): Record<string, unknown> {
  const api = `${ctx.api}/repos/${pr.repo.fullName}/pulls/${pr.number}`;
  const html = `${ctx.web}/${pr.repo.fullName}/pull/${pr.number}#pullrequestreview-${r.id}`;
  return {
    id: r.id,
    node_id: nodeId("PullRequestReview", r.id),
    user: simpleUser(ctx, r.user),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: api,
    author_association: association(pr.repo, r.user.id),
    _links: { html: { href: html }, pull_request: { href: api } },
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
  };
}
