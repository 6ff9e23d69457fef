import type {
  Account,
  Check,
  ChangedFile,
  Commit,
  GitPerson,
  PullRequestFacts,
  Review,
} from "../../core/change-management/facts.js";
import type { ChangePolicy } from "../../core/change-management/policy.js";
import { needsCodeOwners, teamsToCollect } from "../../core/change-management/teams.js";
import { attempt, statusOf, type GitHubClient } from "./client.js";
import { account } from "./account.js";
import { pusherOfHead } from "./last-pusher.js";
import { readFileAt } from "./read-file.js";
import { asObject as obj, textOf as str } from "../../core/json-read.js";

export interface CollectRequest {
  /** owner/name of the repository the pull request belongs to. */
  repository: string;
  number: number;
  event: PullRequestFacts["event"];
  /** Who pushed the head, when the triggering event says so (pull_request synchronize). */
  lastPusher: Account | null;
  /** The head SHA that `lastPusher` pushed: the event's pusher counts only for that commit. */
  pushedSha?: string;
  /** In a merge queue: the queued commit, on which the checks run. */
  mergeGroup?: PullRequestFacts["merge_group"];
  policy: ChangePolicy;
  now: Date;
  /** The files, when the caller already listed them (to read the policy's control owners). */
  files?: ChangedFileList;
}

/** The pull request's changed files as GitHub lists them (raw), with their converted form. */
export interface ChangedFileList {
  raw: unknown[];
  files: ChangedFile[];
}

/** Lists the files a pull request changes (GitHub stops at 3,000). */
export async function listChangedFiles(
  client: GitHubClient,
  repository: string,
  number: number,
): Promise<ChangedFileList> {
  const [owner, repo] = repository.split("/");
  const raw = await attempt(`listing the files of pull request #${number} of ${repository}`, () =>
    client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
      owner,
      repo,
      pull_number: number,
      per_page: PER_PAGE,
    }),
  );
  return { raw, files: raw.map(changedFile) };
}

// GitHub's own limits on two lists: the evaluator fails closed when they cut a list short.
const PER_PAGE = 100;
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/**
 * Collects the facts snapshot of a pull request through the REST API. Read-only, and it reads
 * CODEOWNERS from the base commit, never from the pull request.
 */
export async function collectFacts(
  client: GitHubClient,
  request: CollectRequest,
): Promise<PullRequestFacts> {
  const [owner, repo] = request.repository.split("/");
  const where = { owner, repo, pull_number: request.number, per_page: PER_PAGE };
  const label = `pull request #${request.number} of ${request.repository}`;

  const pr = obj(
    (
      await attempt(`reading ${label}`, () =>
        client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
          owner,
          repo,
          pull_number: request.number,
        }),
      )
    ).data,
  );
  const base = obj(pr.base);
  const head = obj(pr.head);
  const [commits, reviews, files, timeline] = await Promise.all([
    attempt(`listing the commits of ${label}`, () =>
      client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", where),
    ),
    attempt(`listing the reviews of ${label}`, () =>
      client.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", where),
    ),
    request.files ?? listChangedFiles(client, request.repository, request.number),
    attempt(`reading the timeline of ${label}`, () =>
      client.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", {
        owner,
        repo,
        issue_number: request.number,
        per_page: PER_PAGE,
      }),
    ),
  ]);

  const baseSha = str(base.sha);
  const codeowners = needsCodeOwners(request.policy)
    ? await readCodeOwners(client, request.repository, baseSha)
    : null;
  const checkSha = request.mergeGroup?.head_sha ?? str(head.sha);
  const headRepo = obj(head.repo);
  const headRepoName = typeof headRepo.full_name === "string" ? headRepo.full_name : null;
  const [checks, teamMembers, lastPusher] = await Promise.all([
    collectChecks(client, owner!, repo!, checkSha),
    collectTeams(client, teamsToCollect(request.policy, codeowners?.text ?? null)),
    lastPusherOf(client, request, headRepoName, str(head.ref), str(head.sha)),
  ]);

  return assembleFacts(request, {
    pr,
    commits,
    reviews,
    files,
    retargetedAt: timeline
      .map(obj)
      .filter((e) => e.event === "base_ref_changed")
      .map((e) => str(e.created_at)),
    codeowners,
    teamMembers,
    lastPusher,
    checks,
  });
}

/** What the facts are made of, in REST's shapes: the REST and the GraphQL readers both fill it. */
export interface FactsParts {
  /** The pull request as GET …/pulls/{n} answers it (the fields the facts use). */
  pr: Record<string, unknown>;
  /** As GET …/pulls/{n}/commits and …/reviews list them. */
  commits: unknown[];
  reviews: unknown[];
  files: ChangedFileList;
  /** When the pull request was retargeted (base_ref_changed events). */
  retargetedAt: string[];
  codeowners: PullRequestFacts["codeowners"];
  teamMembers: PullRequestFacts["team_members"];
  lastPusher: Account | null;
  checks: Check[];
}

/** The facts snapshot from its parts: one function, so both readers give the same facts. */
export function assembleFacts(
  request: Pick<CollectRequest, "repository" | "number" | "event" | "now" | "mergeGroup">,
  parts: FactsParts,
): PullRequestFacts {
  const { pr, commits, reviews, files } = parts;
  const base = obj(pr.base);
  const head = obj(pr.head);
  const headRepo = obj(head.repo);
  const commitCount = typeof pr.commits === "number" ? pr.commits : commits.length;
  const fileCount = typeof pr.changed_files === "number" ? pr.changed_files : files.raw.length;
  const retargeted = parts.retargetedAt.filter(Boolean).sort();
  const merged =
    pr.merged === true && pr.merged_by
      ? { by: account(pr.merged_by), at: str(pr.merged_at), commit_sha: str(pr.merge_commit_sha) }
      : undefined;

  return {
    version: 1,
    event: request.event,
    collected_at: request.now.toISOString(),
    repository: { id: Number(obj(base.repo).id ?? 0), full_name: request.repository },
    number: request.number,
    title: str(pr.title),
    body: typeof pr.body === "string" ? pr.body : null,
    base: {
      ref: str(base.ref),
      sha: str(base.sha),
      ...(retargeted.length > 0 ? { changed_at: retargeted.at(-1)! } : {}),
    },
    head: {
      ref: str(head.ref),
      sha: str(head.sha),
      repo_full_name: typeof headRepo.full_name === "string" ? headRepo.full_name : null,
    },
    author: account(pr.user),
    commits: commits.map(commit),
    commits_complete: commits.length >= commitCount,
    commit_count: commitCount,
    reviews: reviews.map(review).filter((r): r is Review => r !== undefined),
    changed_files: files.files,
    changed_files_complete: files.raw.length >= fileCount,
    codeowners: parts.codeowners,
    team_members: parts.teamMembers,
    last_pusher: parts.lastPusher,
    checks: parts.checks,
    labels: (Array.isArray(pr.labels) ? pr.labels : [])
      .map((l) => str(obj(l).name))
      .filter(Boolean)
      .sort(),
    ...(request.mergeGroup ? { merge_group: request.mergeGroup } : {}),
    ...(merged ? { merged } : {}),
  };
}

/**
 * Who pushed the head commit: the head branch's activity says (the newest push of that very
 * commit), else the event's pusher when it pushed this head. The event alone is not enough: a
 * review or merge-queue event names no pusher, and by the time the facts are read the head may
 * have moved on. A deleted head repository, or one the token may not read (a private fork),
 * leaves it unknown, and the evaluator fails closed.
 */
export async function lastPusherOf(
  client: GitHubClient,
  request: CollectRequest,
  headRepository: string | null,
  branch: string,
  sha: string,
): Promise<Account | null> {
  const fromActivity = headRepository
    ? await pusherOfHead(client, { repository: headRepository, branch, sha })
    : null;
  if (fromActivity) return fromActivity;
  return request.lastPusher && request.pushedSha === sha ? request.lastPusher : null;
}

// GitHub's private commit emails carry the account: 12345+login@users.noreply.github.com.
const NOREPLY = /^(\d+)\+([^@]+)@users\.noreply\.github\.com$/i;
const CO_AUTHOR = /^co-authored-by:\s*(.+?)\s*<([^>]+)>\s*$/gim;

function person(accountValue: unknown, gitValue: unknown): GitPerson {
  const name = str(obj(gitValue).name);
  if (accountValue && typeof accountValue === "object") {
    const a = account(accountValue);
    return { id: a.id, login: a.login, type: a.type!, name };
  }
  return { name };
}

function commit(value: unknown): Commit {
  const c = obj(value);
  const git = obj(c.commit);
  const coAuthors = [...str(git.message).matchAll(CO_AUTHOR)].map(([, name, email]): GitPerson => {
    const noreply = NOREPLY.exec(email ?? "");
    return noreply ? { id: Number(noreply[1]), login: noreply[2]!, name: name! } : { name: name! };
  });
  return {
    sha: str(c.sha),
    author: person(c.author, git.author),
    committer: person(c.committer, git.committer),
    ...(coAuthors.length > 0 ? { co_authors: coAuthors } : {}),
    unattributed: !(c.author && typeof c.author === "object"),
  };
}

const REVIEW_STATES = new Set(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"]);

function review(value: unknown): Review | undefined {
  const r = obj(value);
  const state = str(r.state);
  // PENDING reviews are drafts only their author can see: they are not reviews yet.
  if (!REVIEW_STATES.has(state) || !r.user) return undefined;
  return {
    id: Number(r.id),
    reviewer: account(r.user),
    state: state as Review["state"],
    commit_id: typeof r.commit_id === "string" ? r.commit_id : null,
    submitted_at: str(r.submitted_at),
    ...(state === "DISMISSED" ? { dismissed: true } : {}),
  };
}

/** A changed file as REST lists it → its facts. */
export function changedFile(value: unknown): ChangedFile {
  const f = obj(value);
  return {
    path: str(f.filename),
    status: str(f.status) as ChangedFile["status"],
    ...(typeof f.previous_filename === "string" ? { previous_path: f.previous_filename } : {}),
  };
}

/** CODEOWNERS at the base: the first of GitHub's three places (`readAt` may answer from a cache). */
export async function readCodeOwners(
  client: GitHubClient,
  repository: string,
  baseSha: string,
  readAt: typeof readFileAt = readFileAt,
): Promise<PullRequestFacts["codeowners"]> {
  for (const path of CODEOWNERS_PATHS) {
    const text = await readAt(client, repository, path, baseSha);
    if (text !== null) return { path, text };
  }
  return null;
}

export async function collectChecks(
  client: GitHubClient,
  owner: string,
  repo: string,
  sha: string,
): Promise<Check[]> {
  const doing = `reading the checks of ${sha.slice(0, 12)}`;
  const [runsResponse, statusResponse] = await Promise.all([
    attempt(doing, () =>
      client.paginate("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
        owner,
        repo,
        ref: sha,
        per_page: PER_PAGE,
        filter: "latest",
      }),
    ),
    attempt(doing, () =>
      client.request("GET /repos/{owner}/{repo}/commits/{ref}/status", {
        owner,
        repo,
        ref: sha,
        per_page: PER_PAGE,
      }),
    ),
  ]);
  const runs = runsResponse.map(obj).map((r): Check => ({
    kind: "check_run",
    name: str(r.name),
    sha: str(r.head_sha) || sha,
    status: str(r.status) as Extract<Check, { kind: "check_run" }>["status"],
    conclusion: (typeof r.conclusion === "string" ? r.conclusion : null) as Extract<
      Check,
      { kind: "check_run" }
    >["conclusion"],
  }));
  const statuses = (
    Array.isArray(obj(statusResponse.data).statuses)
      ? (obj(statusResponse.data).statuses as unknown[])
      : []
  )
    .map(obj)
    .map((s): Check => ({
      kind: "status",
      name: str(s.context),
      sha,
      state: str(s.state) as Extract<Check, { kind: "status" }>["state"],
    }));
  return sortedChecks([...runs, ...statuses]);
}

/** Checks in the facts' order: by name, then kind. */
export function sortedChecks(checks: Check[]): Check[] {
  return checks.sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
}

/**
 * Members of each team, by numeric id. A team the token may not read (the Action's GITHUB_TOKEN
 * cannot read organization teams) is left out: the evaluator then says it was not collected.
 */
export async function collectTeams(
  client: GitHubClient,
  teams: readonly string[],
): Promise<Record<string, Account[]>> {
  const out: Record<string, Account[]> = {};
  for (const team of teams) {
    const [org, team_slug] = team.split("/");
    try {
      const members = await client.paginate("GET /orgs/{org}/teams/{team_slug}/members", {
        org,
        team_slug,
        per_page: PER_PAGE,
      });
      out[team] = members.map(account).sort((a, b) => a.id - b.id);
    } catch (error) {
      const status = statusOf(error);
      if (status !== 403 && status !== 404) throw error;
    }
  }
  return out;
}
