import type { Check } from "../../core/change-management/facts.js";
import { asObject as obj, textOf as str } from "../../core/json-read.js";
import type { CommitShape } from "../../core/evidence/records/merge-method.js";
import { sortedChecks } from "./collect-facts.js";

/**
 * GraphQL answers in REST's shapes, so that the facts are assembled by the very functions the REST
 * reader uses (assembleFacts, and the commit, review and file conversions it calls): the two
 * readers cannot drift apart in how they judge what they read.
 */

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] => (Array.isArray(value) ? value.map(obj) : []);
export const nodesOf = (connection: unknown): Node[] => list(obj(connection).nodes);

/** An Actor → REST's simple-user (id, login, type). GraphQL names bots without "[bot]". */
export function restAccount(value: unknown): Record<string, unknown> | null {
  if (!value || typeof value !== "object") return null;
  const a = obj(value);
  const type = str(a.__typename);
  return {
    id: a.databaseId ?? 0,
    login: type === "Bot" ? `${str(a.login)}[bot]` : str(a.login),
    type,
  };
}

// A bot's commits carry its no-reply address: 49699333+dependabot[bot]@users.noreply.github.com.
const BOT_NOREPLY = /^(\d+)\+([^@]+\[bot\])@users\.noreply\.github\.com$/i;

/**
 * The account of a commit's author or committer. GitActor.user is a User, so GraphQL maps no bot;
 * REST maps a bot by its no-reply address, and so does this.
 */
function commitAccount(gitActor: Node): Record<string, unknown> | null {
  const user = gitActor.user;
  if (user && typeof user === "object")
    return { id: obj(user).databaseId, login: str(obj(user).login), type: "User" };
  const bot = BOT_NOREPLY.exec(str(gitActor.email));
  return bot ? { id: Number(bot[1]), login: bot[2], type: "Bot" } : null;
}

/** A PullRequestCommit's commit → REST's commit (as …/pulls/{n}/commits lists it). */
export function restCommit(node: Node): Record<string, unknown> {
  const c = obj(node.commit);
  const author = obj(c.author);
  const committer = obj(c.committer);
  return {
    sha: str(c.oid),
    commit: {
      message: str(c.message),
      author: { name: str(author.name), email: str(author.email), date: str(c.authoredDate) },
      committer: { name: str(committer.name), email: str(committer.email) },
    },
    author: commitAccount(author),
    committer: commitAccount(committer),
    parents: [],
  };
}

/** A PullRequestReview → REST's review. */
export function restReview(node: Node): Record<string, unknown> {
  return {
    id: node.databaseId,
    user: restAccount(node.author),
    state: str(node.state),
    commit_id: node.commit ? str(obj(node.commit).oid) : null,
    submitted_at: typeof node.submittedAt === "string" ? node.submittedAt : "",
  };
}

const FILE_STATUS: Record<string, string> = {
  ADDED: "added",
  DELETED: "removed",
  MODIFIED: "modified",
  RENAMED: "renamed",
  COPIED: "copied",
  CHANGED: "changed",
};

/** A PullRequestChangedFile → REST's diff entry (without previous_filename: GraphQL lacks it). */
export function restFile(node: Node): Record<string, unknown> {
  return { filename: str(node.path), status: FILE_STATUS[str(node.changeType)] ?? "changed" };
}

/** A rename or copy: only REST says from where. */
export const movedFile = (node: Node): boolean =>
  node.changeType === "RENAMED" || node.changeType === "COPIED";

/** A PullRequest → REST's pull request (the fields the facts use). */
export function restPullRequest(pr: Node, commitCount: number): Record<string, unknown> {
  const head = pr.headRepository ? { full_name: str(obj(pr.headRepository).nameWithOwner) } : null;
  return {
    number: pr.number,
    ...(typeof pr.url === "string" ? { html_url: pr.url } : {}),
    title: str(pr.title),
    // REST has no empty description: it answers null where GraphQL answers "".
    body: str(pr.body) === "" ? null : pr.body,
    base: {
      ref: str(pr.baseRefName),
      sha: str(pr.baseRefOid),
      repo: { id: obj(pr.baseRepository).databaseId },
    },
    head: { ref: str(pr.headRefName), sha: str(pr.headRefOid), repo: head },
    user: restAccount(pr.author),
    commits: commitCount,
    changed_files: pr.changedFiles,
    merged: pr.merged === true,
    merged_by: restAccount(pr.mergedBy),
    merged_at: pr.mergedAt ?? null,
    merge_commit_sha: pr.mergeCommit ? str(obj(pr.mergeCommit).oid) : null,
  };
}

/** The merge commit's shape, for inferMergeMethod. */
export function mergeCommitShape(pr: Node): CommitShape | undefined {
  if (!pr.mergeCommit) return undefined;
  const c = obj(pr.mergeCommit);
  return {
    sha: str(c.oid),
    parents: nodesOf(c.parents).map((p) => str(p.oid)),
    authorDate: str(c.authoredDate),
    message: str(c.message),
  };
}

/**
 * The head's checks as the facts keep them, or undefined when GraphQL's answer is not the whole
 * story (the last listed commit is not the head, past GitHub's 250; more suites or runs than one
 * page): REST then reads them.
 */
export function headChecks(pr: Node): Check[] | undefined {
  const head = obj(nodesOf(pr.head)[0]?.commit);
  const sha = str(head.oid);
  if (!sha || sha !== pr.headRefOid) return undefined;
  const suites = obj(head.checkSuites);
  if (obj(suites.pageInfo).hasNextPage) return undefined;
  const runs = nodesOf(suites).map((suite) => obj(suite.checkRuns));
  if (runs.some((r) => obj(r.pageInfo).hasNextPage)) return undefined;
  const checks: Check[] = runs.flatMap(nodesOf).map((r) => ({
    kind: "check_run",
    name: str(r.name),
    sha,
    status: str(r.status).toLowerCase() as Extract<Check, { kind: "check_run" }>["status"],
    conclusion: (typeof r.conclusion === "string" ? r.conclusion.toLowerCase() : null) as Extract<
      Check,
      { kind: "check_run" }
    >["conclusion"],
  }));
  for (const s of list(obj(head.status).contexts)) {
    // EXPECTED: a required status not reported yet, which REST's combined status lists as pending.
    const state = str(s.state).toLowerCase();
    checks.push({
      kind: "status",
      name: str(s.context),
      sha,
      state: (state === "expected" ? "pending" : state) as Extract<
        Check,
        { kind: "status" }
      >["state"],
    });
  }
  return sortedChecks(checks);
}
