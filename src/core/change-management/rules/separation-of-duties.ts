import { pusherUnknown as pusherUnknownIn } from "../advice.js";
import type { Evaluation } from "../evaluation.js";
import { listOf, shortSha } from "../identity.js";
import type { ApprovalFilter } from "./approval-filter.js";

/**
 * Whoever made the change cannot approve it: the author of the pull request, everyone who
 * authored, committed or co-authored one of its commits (a reviewer whose suggestion was committed
 * is named as co-author, policy-bot #439), and whoever pushed the head (GitHub's "approval of the
 * most recent reviewable push"). People are matched by numeric id, so a rename changes nothing.
 * When the policy excludes the last pusher but the facts do not say who it is, the rule fails
 * closed: any approver might be the pusher (a review run names no pusher, issue #8).
 */
export const separationOfDuties: ApprovalFilter = {
  rule: "separation-of-duties",
  disabled: ({ policy }) => {
    const { author, committers, last_pusher } = policy.separation_of_duties;
    return author || committers || last_pusher
      ? undefined
      : "separation_of_duties turns off author, committers and last_pusher: contributors may approve";
  },
  reject: ({ reviewer }, evaluation) => {
    // Recomputed per approval: a handful of approvals over at most 250 commits costs nothing.
    const roles = contributions(evaluation).get(reviewer.id);
    if (roles) return `${reviewer.login} ${listOf(roles)}`;
    // Fail closed: anyone might have pushed the head, so no approval is shown to be independent.
    return pusherUnknown(evaluation)
      ? `${reviewer.login} may have pushed the head commit ${shortSha(evaluation.facts.head.sha)}`
      : undefined;
  },
  unresolved: (evaluation) =>
    pusherUnknown(evaluation)
      ? `who pushed the head commit ${shortSha(evaluation.facts.head.sha)} is not recorded in the facts (last_pusher is null), so no approval can be shown to come from someone other than the pusher`
      : undefined,
  clean: (evaluation) => {
    if (evaluation.approvals.length === 0) return "no approvals yet";
    const excluded = describeExcluded(evaluation);
    return `no approval comes from ${excluded}`;
  },
  advice: (evaluation) =>
    pusherUnknown(evaluation)
      ? "Fix: let the collector read the head branch's activity (GET /repos/{owner}/{repo}/activity; for a pull request from a fork, read access to the fork), then re-run the check; or set change_management.separation_of_duties.last_pusher: false in soc2.yml to accept that risk."
      : "Someone who did not write or push the change must approve.",
};

function pusherUnknown({ facts, policy }: Evaluation): boolean {
  return pusherUnknownIn(facts, policy);
}

/** Account id → what that person contributed, for the checks the policy turns on. */
function contributions(evaluation: Evaluation): Map<number, string[]> {
  const { facts, policy } = evaluation;
  const sod = policy.separation_of_duties;
  const roles = new Map<number, string[]>();
  const add = (id: number | undefined, role: string) => {
    if (id === undefined) return;
    const list = roles.get(id) ?? [];
    if (!list.includes(role)) list.push(role);
    roles.set(id, list);
  };
  if (sod.author) add(facts.author.id, "opened the pull request");
  if (sod.committers) {
    // Per person: commit → what they did in it, so one line reads "authored and committed 1a2b3c4".
    const work = new Map<number, Map<string, Set<string>>>();
    const note = (id: number | undefined, verb: string, sha: string) => {
      if (id === undefined) return;
      const commits = work.get(id) ?? new Map<string, Set<string>>();
      commits.set(sha, (commits.get(sha) ?? new Set<string>()).add(verb));
      work.set(id, commits);
    };
    for (const commit of facts.commits) {
      note(commit.author.id, "authored", commit.sha);
      note(commit.committer.id, "committed", commit.sha);
      for (const co of commit.co_authors ?? []) note(co.id, "co-authored", commit.sha);
    }
    for (const [id, commits] of work) {
      const byPhrase = new Map<string, string[]>();
      for (const [sha, verbs] of commits) {
        const phrase = listOf(VERBS.filter((v) => verbs.has(v)));
        byPhrase.set(phrase, [...(byPhrase.get(phrase) ?? []), shortSha(sha)]);
      }
      for (const [phrase, shas] of byPhrase) add(id, `${phrase} ${summarize(shas)}`);
    }
  }
  if (sod.last_pusher && facts.last_pusher) add(facts.last_pusher.id, "pushed the head commit");
  return roles;
}

const VERBS = ["authored", "committed", "co-authored"];

function summarize(shas: readonly string[]): string {
  return shas.length <= 3
    ? listOf(shas)
    : `${shas.slice(0, 3).join(", ")} and ${shas.length - 3} more commit(s)`;
}

function describeExcluded({ facts, policy }: Evaluation): string {
  const sod = policy.separation_of_duties;
  const parts: string[] = [];
  if (sod.author) parts.push(`the author (${facts.author.login})`);
  if (sod.committers) parts.push("a committer");
  if (sod.last_pusher)
    if (facts.last_pusher) parts.push(`the last pusher (${facts.last_pusher.login})`);
  return listOf(parts, "or");
}
