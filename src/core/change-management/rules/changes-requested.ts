import type { Evaluation } from "../evaluation.js";
import { afterMergeAdvice } from "../advice.js";
import { byLogin, listOf, shortSha } from "../identity.js";
import { renameNotes } from "../renames.js";
import type { RuleResult } from "../verdict.js";

/**
 * A reviewer's "changes requested" blocks until that same reviewer approves or the review is
 * dismissed; a later comment does not lift it. Policy-bot only blocks when configured to; GitHub
 * always does, and so does this rule (it cannot be turned off).
 */
export function changesRequested({ standings, facts }: Evaluation): RuleResult {
  const blocking = standings
    .filter((s) => s.standing === "changes-requested")
    .sort((a, b) => byLogin(a.reviewer, b.reviewer));
  if (blocking.length === 0) {
    return {
      rule: "changes-requested",
      result: "pass",
      reason: "no reviewer has an open request for changes",
    };
  }
  const who = blocking.map((s) => `${s.reviewer.login} (on ${shortSha(s.review.commit_id)})`);
  const renames = renameNotes(facts.reviews, new Set(blocking.map((s) => s.reviewer.id)));
  const next =
    afterMergeAdvice(facts) ??
    `blocked until ${blocking.length === 1 ? "that reviewer approves" : "each of them approves"} or the review is dismissed`;
  return {
    rule: "changes-requested",
    result: "fail",
    reason: `${listOf(who)} requested changes${facts.merged ? ", and it was merged regardless" : ""}: ${[next, ...renames].join(". ")}`,
    details: { reviewers: blocking.map((s) => s.reviewer.login) },
  };
}
