import type { Account } from "../../change-management/facts.js";
import { shortSha } from "../../change-management/identity.js";
import { redact } from "../redact.js";
import { envelope, type RecordContext } from "./envelope.js";
import { pushRecordId } from "./ids.js";
import { accountOf, isoTime, list, obj, repositoryOf, shaOf, str } from "./payload.js";
import type { Built } from "./review-event.js";

/** A commit's author or committer as a change record lists it. */
export interface RecordedPerson {
  name: string;
  account?: Account;
  /**
   * The login GitHub matched the commit's email to, when only the push payload's `username` names
   * it (no numeric id): a label for the auditor, not an identity.
   */
  login?: string;
}

/** A pushed commit, from the push payload or the compare API. */
export interface PushedCommit {
  sha: string;
  message: string;
  author: RecordedPerson;
  committer: RecordedPerson;
}

// GitHub's private commit emails carry the account: 12345+login@users.noreply.github.com.
const NOREPLY = /^(\d+)\+([^@]+)@users\.noreply\.github\.com$/i;

/**
 * A payload commit's author or committer. GitHub names the account a linked email belongs to by
 * `username` (a login, no id): the private noreply address carries the id, and so does the
 * sender when the username is theirs; otherwise the login is kept as a label until
 * withCommitAccounts finds the account.
 */
function payloadPerson(value: unknown, sender: Account | undefined): RecordedPerson {
  const p = obj(value);
  const noreply = NOREPLY.exec(str(p.email));
  const username = str(p.username);
  const account: Account | undefined = noreply
    ? { id: Number(noreply[1]), login: noreply[2]!, type: "User" }
    : username !== "" && sender && sender.login.toLowerCase() === username.toLowerCase()
      ? sender
      : undefined;
  return {
    name: str(p.name),
    ...(account ? { account } : username !== "" ? { login: username } : {}),
  };
}

/** The commits a push payload lists (GitHub lists at most 20: see pushCommitsComplete). */
export function commitsOfPushPayload(payload: unknown): PushedCommit[] {
  const sender = accountOf(obj(payload).sender);
  return list(obj(payload).commits)
    .map(obj)
    .filter((c) => shaOf(c.id) !== undefined)
    .map((c) => ({
      sha: shaOf(c.id)!,
      message: str(c.message),
      author: payloadPerson(c.author, sender),
      committer: payloadPerson(c.committer, sender),
    }));
}

/** True when the commit's author or committer is named by a login but not yet by an account. */
export function needsAccounts(commit: PushedCommit): boolean {
  return [commit.author, commit.committer].some((p) => !p.account && p.login !== undefined);
}

/**
 * The commit with the accounts GitHub gives for it (GET /repos/{o}/{r}/commits/{sha}: `author` and
 * `committer` carry login and id when GitHub matched the email), where the push payload had none.
 */
export function withCommitAccounts(commit: PushedCommit, data: unknown): PushedCommit {
  const fill = (person: RecordedPerson, found: Account | undefined): RecordedPerson => {
    if (person.account || !found) return person;
    return { name: person.name, account: found };
  };
  return {
    ...commit,
    author: fill(commit.author, accountOf(obj(data).author)),
    committer: fill(commit.committer, accountOf(obj(data).committer)),
  };
}

/** True when the payload lists every commit of the push (GitHub cuts the list at 20). */
export function pushCommitsComplete(payload: unknown): boolean {
  return list(obj(payload).commits).length < 20;
}

/** The commits of a compare answer (GET /repos/{o}/{r}/compare/{base}...{head}). */
export function commitsOfCompare(data: unknown): PushedCommit[] {
  return list(obj(data).commits)
    .map(obj)
    .filter((c) => shaOf(c.sha) !== undefined)
    .map((c) => {
      const git = obj(c.commit);
      const author = accountOf(c.author);
      const committer = accountOf(c.committer);
      return {
        sha: shaOf(c.sha)!,
        message: str(git.message),
        author: { name: str(obj(git.author).name), ...(author ? { account: author } : {}) },
        committer: {
          name: str(obj(git.committer).name),
          ...(committer ? { account: committer } : {}),
        },
      };
    });
}

/** The branch a push is to, or undefined for tags and other refs. */
export function pushedBranch(payload: unknown): string | undefined {
  const ref = str(obj(payload).ref);
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
}

const ZERO_SHA = "0".repeat(40);

/**
 * The change record of a direct push to a protected branch: commits that reached it without a
 * merged pull request (one record per push, not per commit), recorded as a direct-push exception.
 * A forced push, which rewrites the branch's history, and a deleted branch are recorded even when
 * they bring no new commit, and the reason says so.
 */
export function buildDirectPushRecord(
  input: { payload: unknown; commits: readonly PushedCommit[] },
  context: RecordContext,
): Built {
  const p = obj(input.payload);
  const branch = pushedBranch(p);
  const repository = repositoryOf(p);
  if (!branch || !repository.id) return { skip: "not a push to a branch of a repository" };
  const before = shaOf(p.before);
  const after = shaOf(p.after);
  const deleted = p.deleted === true || after === undefined;
  const forced = p.forced === true;
  const pushedAt =
    isoTime(obj(p.repository).pushed_at) ??
    isoTime(obj(p.head_commit).timestamp) ??
    context.recordedAt.toISOString();
  const pusher = accountOf(p.sender);
  const who = pusher?.login ?? (str(obj(p.pusher).name) || "someone");

  const what: string[] = [];
  if (input.commits.length > 0)
    what.push(
      `pushed ${input.commits.length} commit(s) that belong to no merged pull request (${input.commits
        .slice(0, 10)
        .map((c) => shortSha(c.sha))
        .join(", ")}${input.commits.length > 10 ? ", …" : ""})`,
    );
  if (forced)
    what.push(
      `force-pushed, rewriting the branch's history${before ? ` (it was at ${shortSha(before)})` : ""}`,
    );
  if (deleted) what.push("deleted the branch");
  if (what.length === 0) return { skip: "every pushed commit belongs to a merged pull request" };
  const reason = `${who} ${what.join(" and ")} directly to ${branch}, a protected branch, without a pull request`;

  // The record claims only the commits this push brought (the completeness check ties commits to
  // records through merged_sha and commits). A push that rewinds the branch onto an earlier
  // commit, say a pull request's merge commit, brings none: naming that commit as merged_sha would
  // let this record stand in for the pull request's own. Where the branch now points is head_sha.
  const claimed = input.commits.at(-1)?.sha ?? ZERO_SHA;
  const content: Record<string, unknown> = {
    repository,
    change: {
      type: "direct-push",
      base_ref: redact(branch),
      ...(before ? { base_sha: before } : {}),
      ...(after ? { head_sha: after } : {}),
      merged_sha: claimed,
      merge_method: "push",
      merged_at: pushedAt,
      ...(pusher ? { merged_by: pusher } : {}),
    },
    commits: input.commits.map((c) => ({
      sha: c.sha,
      message: redact(c.message),
      author: { ...c.author, name: redact(c.author.name) },
      committer: { ...c.committer, name: redact(c.committer.name) },
    })),
    reviews: [],
    checks: [],
    verdict: {
      result: "fail",
      evaluated_at: context.recordedAt.toISOString(),
      rules: [{ rule: "direct-push", result: "fail", reason }],
    },
    exception: { type: "direct-push", reason },
  };
  const id = pushRecordId(
    repository.full_name,
    after ? { after } : { deletedAt: before ?? ZERO_SHA },
    pushedAt,
  );
  return { record: envelope(context, "change-record", id, "", content) };
}
