import type { RepositoryState } from "../state/repository.js";
import type { CheckRunRecord, StatusRecord } from "../state/types.js";
import { nodeId, type SerializeContext } from "./context.js";
import { simpleUser } from "./users.js";

/** A check run as `check-run`. */
export function checkRun(
  ctx: SerializeContext,
  repo: RepositoryState,
  run: CheckRunRecord,
): Record<string, unknown> {
  const url = `${ctx.api}/repos/${repo.fullName}/check-runs/${run.id}`;
  const owner = ctx.state.findAccount(run.app.slug) ?? ctx.state.app.owner;
  const pulls = [...repo.pulls.values()].filter(
    (pr) => pr.headSha === run.headSha && pr.state === "open",
  );
  const minimalRepo = { id: repo.id, url: `${ctx.api}/repos/${repo.fullName}`, name: repo.name };
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: "",
    url,
    html_url: `${ctx.web}/${repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${ctx.web}/${repo.fullName}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.title,
      summary: run.summary,
      text: null,
      annotations_count: 0,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 1_000_000 },
    app: {
      id: run.app.id,
      slug: run.app.slug,
      node_id: nodeId("Integration", run.app.id),
      owner: simpleUser(ctx, owner),
      name: run.app.name,
      description: "",
      external_url: `${ctx.web}/apps/${run.app.slug}`,
      html_url: `${ctx.web}/apps/${run.app.slug}`,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      permissions: { checks: "write", metadata: "read" },
      events: [],
    },
    pull_requests: pulls.map((pr) => ({
      id: pr.id,
      number: pr.number,
      url: `${ctx.api}/repos/${repo.fullName}/pulls/${pr.number}`,
      head: { ref: pr.headRef, sha: pr.headSha, repo: minimalRepo },
      base: { ref: pr.baseRef, sha: pr.baseSha, repo: minimalRepo },
    })),
  };
}

/** A commit status as `simple-commit-status`. */
export function commitStatus(
  ctx: SerializeContext,
  repo: RepositoryState,
  status: StatusRecord,
): Record<string, unknown> {
  return {
    id: status.id,
    node_id: nodeId("StatusContext", status.id),
    url: `${ctx.api}/repos/${repo.fullName}/statuses/${status.sha}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${repo.owner.id}?v=4`,
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
  };
}

/** GitHub's combined state: failure beats pending beats success; no statuses is pending. */
export function combinedState(statuses: readonly StatusRecord[]): string {
  if (statuses.some((s) => s.state === "error" || s.state === "failure")) return "failure";
  if (statuses.length === 0 || statuses.some((s) => s.state === "pending")) return "pending";
  return "success";
}
