import type {
  Check,
  GitPerson,
  PullRequestFacts,
  Review,
} from "../../change-management/facts.js";
import type { ChangePolicy } from "../../change-management/policy.js";
import type { Verdict } from "../../change-management/verdict.js";
import { redact, redactDeep } from "../redact.js";
import { envelope, type RecordContext } from "./envelope.js";
import { mergeRecordId } from "./ids.js";
import type { MergeMethod } from "./merge-method.js";
import { accountOf, isoTime, obj, shaOf, str } from "./payload.js";
import type { Built } from "./review-event.js";
import { findTickets } from "./tickets.js";

export interface MergeInput {
  /** The pull_request.closed webhook payload of a merged pull request. */
  payload: unknown;
  /** The facts collected at merge (by collectFacts, as the Action does), already redacted. */
  facts: PullRequestFacts;
  /** evaluate(facts, policy, { now }): the same evaluator as the Action, at that moment. */
  verdict: Verdict;
  /** The policy's ticket settings, to list the tickets the change refers to. */
  ticket: ChangePolicy["ticket"];
  mergeMethod: MergeMethod;
  /** Commit SHA → message, from the pull request's commits as the API listed them. */
  messages?: Readonly<Record<string, string>>;
}

/** An exception on a change record: the change reached the branch without meeting the policy. */
export interface RecordException {
  type: "policy-failure" | "bypass" | "emergency" | "direct-push";
  reason: string;
  retrospective_review_due?: string;
}

/**
 * The change record of a merged pull request: who changed what (author, commits), who approved
 * which commit and when (reviews, dismissals), the checks on the merged head, the tickets and
 * labels, the facts snapshot and the verdict computed from it at merge. A merge that did not meet
 * the policy is recorded with an exception, never dropped.
 */
export function buildChangeRecord(input: MergeInput, context: RecordContext): Built {
  const p = obj(input.payload);
  const pr = obj(p.pull_request);
  const { facts, verdict } = input;
  if (pr.merged !== true) return { skip: "the pull request was closed without being merged" };
  const mergedAt = isoTime(pr.merged_at) ?? facts.merged?.at;
  const mergedSha = shaOf(pr.merge_commit_sha) ?? shaOf(facts.merged?.commit_sha);
  if (!mergedAt || !mergedSha || !facts.repository.full_name)
    return { skip: "the payload lacks the merge time or the merge commit" };
  const mergedBy = accountOf(pr.merged_by) ?? facts.merged?.by;
  const repositoryId = facts.repository.id || Number(obj(p.repository).id ?? 0);
  const url = str(pr.html_url);
  const exception = exceptionOf(verdict);

  const content: Record<string, unknown> = {
    repository: { id: repositoryId, full_name: facts.repository.full_name },
    change: {
      type: "pull-request",
      number: facts.number,
      title: redact(facts.title),
      ...(url ? { url } : {}),
      author: facts.author,
      base_ref: facts.base.ref,
      ...(shaOf(facts.base.sha) ? { base_sha: facts.base.sha } : {}),
      head_ref: redact(facts.head.ref),
      ...(shaOf(facts.head.sha) ? { head_sha: facts.head.sha } : {}),
      merged_sha: mergedSha,
      merge_method: input.mergeMethod,
      merged_at: mergedAt,
      ...(mergedBy ? { merged_by: mergedBy } : {}),
    },
    commits: facts.commits.map((c) => {
      const message = input.messages?.[c.sha];
      return {
        sha: c.sha,
        ...(message !== undefined ? { message: redact(message) } : {}),
        author: gitPerson(c.author),
        committer: gitPerson(c.committer),
      };
    }),
    reviews: facts.reviews.map(review),
    checks: facts.checks.map(check),
    tickets: findTickets(input.ticket, {
      title: facts.title,
      body: facts.body,
      branch: facts.head.ref,
    }),
    labels: [...facts.labels],
    verdict,
    ...(exception ? { exception } : {}),
    facts: redactDeep(facts),
  };
  const id = mergeRecordId(facts.repository.full_name, facts.number, mergedAt);
  return { record: envelope(context, "change-record", id, str(p.action), content) };
}

/** The evaluator's exception (bypass, emergency), or policy-failure for any other merge that did not pass. */
export function exceptionOf(verdict: Verdict): RecordException | undefined {
  if (verdict.exception) return { ...verdict.exception };
  if (verdict.result === "pass") return undefined;
  const unmet = verdict.rules
    .filter((r) => r.result === "fail" || r.result === "pending")
    .map((r) => `${r.rule} (${r.result === "fail" ? "failed" : "pending"})`);
  return {
    type: "policy-failure",
    reason: `merged although ${unmet.join(", ")} had not passed`,
  };
}

function gitPerson(person: GitPerson): Record<string, unknown> {
  return {
    name: redact(person.name),
    ...(person.id && person.login
      ? { account: { id: person.id, login: person.login, ...(person.type ? { type: person.type } : {}) } }
      : {}),
  };
}

function review(r: Review): Record<string, unknown> {
  return {
    id: r.id,
    reviewer: r.reviewer,
    state: r.state,
    ...(r.commit_id ? { commit_id: r.commit_id } : {}),
    submitted_at: r.submitted_at,
    ...(r.dismissed || r.state === "DISMISSED" ? { dismissed: true } : {}),
  };
}

type RecordedConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required"
  | "stale"
  | "pending"
  | "error";

/** A check run or status as a change record lists it: a check still running is pending. */
function check(c: Check): { name: string; conclusion: RecordedConclusion; sha: string } {
  if (c.kind === "status") return { name: c.name, conclusion: c.state, sha: c.sha };
  const conclusion: RecordedConclusion =
    c.status !== "completed" || c.conclusion === null
      ? "pending"
      : c.conclusion === "startup_failure"
        ? "failure"
        : c.conclusion;
  return { name: c.name, conclusion, sha: c.sha };
}
