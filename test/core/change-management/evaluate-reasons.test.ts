// Reasons that must not mislead (issue #8): each row's reason says what was found, and the rows
// marked `not` check that the misleading wording of before is gone.
import { describe, expect, it } from "vitest";
import type { Account, PullRequestFacts } from "../../../src/core/change-management/facts.js";
import type { RuleId } from "../../../src/core/change-management/verdict.js";
import {
  alice,
  approve,
  bob,
  carol,
  comment,
  dave,
  dismissed,
  facts,
  policy,
  requestChanges,
  sha,
} from "./builder.js";
import { expectCase, ruleOf, type Case } from "./evaluate-cases.js";

const codeowners = (text: string): Pick<PullRequestFacts, "codeowners"> => ({
  codeowners: { path: ".github/CODEOWNERS", text },
});
/** bob, after renaming his account: the same id, a new login. */
const robert: Account = { ...bob, login: "robert" };
const merged = { by: carol, at: "2026-05-01T11:00:00Z", commit_sha: sha("merge") };
const MERGE = sha("merge").slice(0, 7);

type ReasonCase = Case & { not?: Partial<Record<RuleId, RegExp>> };

const cases: ReasonCase[] = [
  // approver-eligibility never claims approvals that are not there.
  {
    name: "codeowners on, nobody approved, and no changed file has a code owner",
    facts: facts(codeowners("/docs/ @dave\n")),
    policy: policy({ approvers: { codeowners: true } }),
    result: "fail",
    rules: { "approver-eligibility": "pass", "required-approvals": "fail" },
    reasons: {
      "approver-eligibility":
        /^no changed file has a code owner, so no owner's approval is needed: any reviewer the other rules allow may approve$/,
    },
    not: { "approver-eligibility": /approvals come from/ },
  },
  {
    name: "codeowners on, bob approved, and no changed file has a code owner",
    facts: facts({ ...codeowners("/docs/ @dave\n"), reviews: [approve(bob)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "pass",
    reasons: { "approver-eligibility": /^no changed file has a code owner/ },
    not: { "approver-eligibility": /approvals come from code owners/ },
  },
  {
    name: "listed users, nobody approved yet",
    facts: facts(),
    policy: policy({ approvers: { users: ["carol", "dave"] } }),
    result: "fail",
    rules: { "approver-eligibility": "pass" },
    reasons: {
      "approver-eligibility": /^no approval yet: only approvals from carol, dave will count$/,
    },
  },
  {
    name: "listed users and code owners: carol approved, no changed file has a code owner",
    facts: facts({ ...codeowners("/docs/ @dave\n"), reviews: [approve(carol)] }),
    policy: policy({ approvers: { users: ["carol"], codeowners: true } }),
    result: "pass",
    reasons: {
      "approver-eligibility":
        /^carol is among those the policy accepts \(carol\); no changed file has a code owner, so no owner's approval is needed$/,
    },
  },
  {
    name: "control owners on, and no control file changed",
    facts: facts({ reviews: [approve(bob)] }),
    policy: policy({ approvers: { control_owners: true } }),
    result: "pass",
    reasons: { "approver-eligibility": /^no changed file has a control owner/ },
  },
  // Dismissed and comment-only reviews are named.
  {
    name: "a dismissed approval and a comment: both reviewers are named",
    facts: facts({ reviews: [dismissed(bob), comment(dave)] }),
    result: "fail",
    reasons: {
      "required-approvals":
        /0 of 1 required approval\(s\)\. Dismissed: bob \(a dismissed review no longer approves; an earlier approval does not come back\)\. Only commented: dave \(a comment is not an approval\)\. Ask a reviewer/,
    },
  },
  {
    name: "an approval then dismissed: named as dismissed, not as never reviewed",
    facts: facts({ reviews: [approve(carol), dismissed(carol)] }),
    result: "fail",
    reasons: { "required-approvals": /Dismissed: carol/ },
  },
  {
    name: "a code owner who only commented is named under the file that needs them",
    facts: facts({ ...codeowners("/src/ @dave\n"), reviews: [comment(dave), approve(bob)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "fail",
    reasons: {
      "approver-eligibility":
        /^src\/export\.ts needs an approval from @dave \(CODEOWNERS line 1\): dave only commented$/,
    },
  },
  {
    name: "a code owner whose approval was dismissed is named as such",
    facts: facts({
      ...codeowners("/src/ @dave\n"),
      reviews: [approve(dave), dismissed(dave), approve(bob)],
    }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "fail",
    reasons: {
      "approver-eligibility": /@dave \(CODEOWNERS line 1\): dave's review was dismissed$/,
    },
  },
  // A renamed reviewer is explained as the same account.
  {
    name: "bob approves, renames himself robert, then comments: robert's approval counts, and why",
    facts: facts({ reviews: [approve(bob), comment(robert)] }),
    result: "pass",
    reasons: {
      "required-approvals":
        /^1 of 1 required approval\(s\): robert\. robert reviewed earlier as bob \(the same account, id 2, renamed\): those reviews are robert's$/,
    },
  },
  {
    name: "bob requests changes, then as robert comments: the block is robert's, and why",
    facts: facts({ reviews: [requestChanges(bob), comment(robert), approve(carol)] }),
    result: "fail",
    reasons: {
      "changes-requested":
        /^robert \(on [0-9a-f]{7}\) requested changes: blocked until that reviewer approves or the review is dismissed\. robert reviewed earlier as bob \(the same account, id 2, renamed\)/,
    },
  },
  {
    name: "a renamed reviewer whose approval does not count is still explained",
    facts: facts({ reviews: [approve(bob, { on: sha("first") }), comment(robert)] }),
    result: "fail",
    reasons: { "required-approvals": /robert reviewed earlier as bob \(the same account, id 2/ },
  },
  // After a merge, the advice is about an after-the-fact review, never "ask to approve".
  {
    name: "merged without an approval",
    facts: facts({ merged }),
    result: "fail",
    reasons: {
      "required-approvals": new RegExp(
        `It was already merged by carol as ${MERGE}: an approval now would not change what was merged\\. Have someone who did not write or push the change review the merged change after the fact, and record that retrospective review against this change's bypass exception\\.$`,
      ),
    },
    not: { "required-approvals": /Ask a reviewer/ },
  },
  {
    name: "merged with a stale approval",
    facts: facts({ merged, reviews: [approve(bob, { on: sha("first") })] }),
    result: "fail",
    reasons: { "approval-on-head": /not counted\. It was already merged by carol/ },
    not: { "approval-on-head": /Ask for a new review/ },
  },
  {
    name: "merged with only the author's approval",
    facts: facts({ merged, reviews: [approve(alice)] }),
    result: "fail",
    reasons: { "separation-of-duties": /not counted\. It was already merged by carol/ },
    not: { "separation-of-duties": /must approve/ },
  },
  {
    name: "merged while changes were requested",
    facts: facts({ merged, reviews: [requestChanges(dave), approve(bob)] }),
    result: "fail",
    reasons: {
      "changes-requested":
        /^dave \(on [0-9a-f]{7}\) requested changes, and it was merged regardless: It was already merged by carol/,
    },
    not: { "changes-requested": /blocked until/ },
  },
  {
    name: "the pusher unknown: asking for another approval would not help, so it is not advised",
    facts: facts({ last_pusher: null, reviews: [approve(bob)] }),
    result: "fail",
    reasons: {
      "required-approvals":
        /Not counted: bob \(separation-of-duties\)\. No approval can count while who pushed the head commit [0-9a-f]{7} is unknown: see separation-of-duties$/,
    },
    not: { "required-approvals": /Ask a reviewer/ },
  },
  {
    name: "an open pull request still gets the advice to ask for an approval",
    facts: facts(),
    result: "fail",
    reasons: { "required-approvals": /Ask a reviewer who did not write or push the change/ },
    not: { "required-approvals": /already merged/ },
  },
];

describe("reasons say what was found", () => {
  it.each(cases)("$name", (c) => {
    const verdict = expectCase(c);
    for (const [rule, pattern] of Object.entries(c.not ?? {}))
      expect(ruleOf(verdict, rule as RuleId).reason).not.toMatch(pattern);
  });
});
