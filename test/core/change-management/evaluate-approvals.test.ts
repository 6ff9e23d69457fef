// Which approvals count: of the head, from a person, from someone who did not make the change.
import { describe, it } from "vitest";
import {
  alice,
  approve,
  bob,
  carol,
  commit,
  dave,
  dependabot,
  facts,
  HEAD,
  policy,
  sha,
} from "./builder.js";
import { expectCase, type Case } from "./evaluate-cases.js";

const short = (label: string) => sha(label).slice(0, 7);

const cases: Case[] = [
  // Approvals are bound to the commit they approved.
  {
    name: "force-push after approval: the approved commit is gone from the branch",
    facts: facts({ reviews: [approve(bob, { on: sha("before-force-push") })] }),
    result: "fail",
    rules: { "approval-on-head": "fail", "required-approvals": "fail" },
    reasons: {
      "approval-on-head": new RegExp(
        `bob approved ${short("before-force-push")}, which is no longer part of the pull request.*head is now ${HEAD.slice(0, 7)}.*Ask for a new review`,
      ),
    },
  },
  {
    name: "approval of an older commit after 'update branch' merged the base in",
    facts: facts({
      commits: [commit("first", alice), commit("head", alice, { committer: alice })],
      reviews: [approve(bob, { on: sha("first") })],
    }),
    result: "fail",
    rules: { "approval-on-head": "fail" },
    reasons: {
      "approval-on-head": new RegExp(
        `bob approved ${short("first")}, but commits were pushed after it`,
      ),
    },
  },
  {
    name: "a stale approval is fine when the policy does not bind approvals to the head",
    facts: facts({ reviews: [approve(bob, { on: sha("first") })] }),
    policy: policy({ approval_must_be_on_head: false }),
    result: "pass",
    rules: { "approval-on-head": "skipped" },
  },
  {
    name: "a stale approval does not matter when a fresh one meets the policy",
    facts: facts({ reviews: [approve(bob, { on: sha("first") }), approve(carol)] }),
    result: "pass",
    rules: { "approval-on-head": "pass" },
    reasons: { "approval-on-head": /not counted, but the other approvals meet the policy/ },
  },
  {
    name: "squash merge: the merged commit differs from the head, the approval of the head counts",
    facts: facts({
      reviews: [approve(bob)],
      merged: { by: carol, at: "2026-05-01T11:00:00Z", commit_sha: sha("squashed") },
    }),
    result: "pass",
  },
  // Separation of duties.
  {
    name: "the author cannot approve their own pull request",
    facts: facts({ reviews: [approve(alice)] }),
    result: "fail",
    rules: { "separation-of-duties": "fail", "required-approvals": "fail" },
    reasons: {
      "separation-of-duties":
        /alice opened the pull request, authored and committed [0-9a-f]{7} and [0-9a-f]{7}/,
    },
  },
  {
    name: "a reviewer whose suggestion was committed (co-author) cannot approve (policy-bot #439)",
    facts: facts({
      commits: [commit("first", alice), commit("head", alice, { coAuthors: [bob] })],
      reviews: [approve(bob)],
    }),
    result: "fail",
    rules: { "separation-of-duties": "fail" },
    reasons: { "separation-of-duties": new RegExp(`bob co-authored ${short("head")}`) },
  },
  {
    name: "a co-author whose email maps to no account fails closed: it could be the approving reviewer",
    facts: facts({
      commits: [commit("first", alice), commit("head", alice, { coAuthors: ["Bob Reviewer"] })],
      reviews: [approve(bob)],
    }),
    result: "fail",
    rules: { "unattributed-commits": "fail" },
    reasons: {
      "unattributed-commits": new RegExp(`${short("head")} \\(co-author "Bob Reviewer"\\)`),
    },
  },
  {
    name: "a reviewer who committed their suggestion themselves cannot approve",
    facts: facts({
      commits: [commit("first", alice), commit("head", bob)],
      reviews: [approve(bob)],
    }),
    result: "fail",
    rules: { "separation-of-duties": "fail" },
    reasons: {
      "separation-of-duties": new RegExp(`bob authored and committed ${short("head")}`),
    },
  },
  {
    name: "a committer (e.g. who rebased) cannot approve",
    facts: facts({
      commits: [commit("first", alice), commit("head", alice, { committer: carol })],
      reviews: [approve(carol)],
    }),
    result: "fail",
    rules: { "separation-of-duties": "fail" },
    reasons: { "separation-of-duties": /carol committed/ },
  },
  {
    name: "committers may approve when the policy allows it",
    facts: facts({
      commits: [commit("first", alice), commit("head", alice, { committer: carol })],
      reviews: [approve(carol)],
      last_pusher: alice,
    }),
    policy: policy({ separation_of_duties: { committers: false } }),
    result: "pass",
  },
  {
    name: "the last pusher cannot approve",
    facts: facts({ last_pusher: dave, reviews: [approve(dave)] }),
    result: "fail",
    rules: { "separation-of-duties": "fail" },
    reasons: { "separation-of-duties": /dave pushed the head commit/ },
  },
  {
    name: "the last pusher may approve when the policy allows it",
    facts: facts({ last_pusher: dave, reviews: [approve(dave)] }),
    policy: policy({ separation_of_duties: { last_pusher: false } }),
    result: "pass",
  },
  // An unknown pusher fails closed: anyone might have pushed the head (issue #8).
  {
    name: "the pusher unknown (a review run): B pushed c2 as A and approves it, and it does not pass",
    facts: facts({
      event: "pull_request_review",
      commits: [commit("first", alice), commit("head", alice)],
      last_pusher: null,
      reviews: [approve(bob)],
    }),
    result: "fail",
    rules: { "separation-of-duties": "fail", "required-approvals": "fail" },
    reasons: {
      "separation-of-duties": new RegExp(
        `who pushed the head commit ${HEAD.slice(0, 7)} is not recorded in the facts.*Not counted: bob may have pushed the head commit ${HEAD.slice(0, 7)}\\. Fix: let the collector read the head branch's activity.*last_pusher: false`,
      ),
    },
  },
  {
    name: "the pusher unknown and no approval yet: the rule still does not pass",
    facts: facts({ last_pusher: null }),
    result: "fail",
    rules: { "separation-of-duties": "fail" },
    reasons: { "separation-of-duties": /^who pushed the head commit .* is not recorded/ },
  },
  {
    name: "the pusher unknown: an author's approval is set aside for being the author",
    facts: facts({ last_pusher: null, reviews: [approve(alice), approve(bob)] }),
    result: "fail",
    reasons: {
      "separation-of-duties":
        /Not counted: alice opened the pull request.*; bob may have pushed the head commit/,
    },
  },
  {
    name: "the pusher unknown does not matter when the policy does not exclude the last pusher",
    facts: facts({ last_pusher: null, reviews: [approve(bob)] }),
    policy: policy({ separation_of_duties: { last_pusher: false } }),
    result: "pass",
    rules: { "separation-of-duties": "pass" },
    reasons: {
      "separation-of-duties": /^no approval comes from the author \(alice\) or a committer$/,
    },
  },
  {
    name: "the pusher unknown does not matter when no approval is required",
    facts: facts({ last_pusher: null }),
    policy: policy({ required_approvals: 0 }),
    result: "pass",
    rules: { "separation-of-duties": "pass" },
    reasons: { "separation-of-duties": /not recorded.*but the policy requires no approval here/ },
  },
  {
    name: "a contributor's approval does not matter when an independent one meets the policy",
    facts: facts({ reviews: [approve(alice), approve(bob)] }),
    result: "pass",
    rules: { "separation-of-duties": "pass" },
    reasons: {
      "separation-of-duties":
        /alice opened the pull request.*not counted, but the other approvals meet the policy/,
    },
  },
  {
    name: "the merger is not a reviewer (scorecard #2413): merged without review is a bypass",
    facts: facts({ merged: { by: carol, at: "2026-05-01T11:00:00Z", commit_sha: sha("merge") } }),
    result: "fail",
    rules: { "required-approvals": "fail" },
  },
  // Bots.
  {
    name: "a bot's approval is ignored (type Bot)",
    facts: facts({ reviews: [approve(dependabot)] }),
    result: "fail",
    rules: { "bot-approvals": "fail", "required-approvals": "fail" },
    reasons: { "bot-approvals": /dependabot\[bot\] is a bot/ },
  },
  {
    name: "a bot's approval is ignored when only the [bot] login suffix says so",
    facts: facts({ reviews: [approve({ id: 41898282, login: "github-actions[bot]" })] }),
    result: "fail",
    rules: { "bot-approvals": "fail" },
  },
  {
    name: "a bot-authored pull request still needs a person's review",
    facts: facts({
      author: dependabot,
      commits: [commit("head", { ...dependabot })],
      last_pusher: dependabot,
    }),
    result: "fail",
    rules: { "required-approvals": "fail" },
  },
  {
    name: "a bot-authored pull request approved by a person passes",
    facts: facts({
      author: dependabot,
      commits: [commit("head", { ...dependabot })],
      last_pusher: dependabot,
      reviews: [approve(bob)],
    }),
    result: "pass",
  },
  // Commits whose author maps to no account.
  {
    name: "a commit whose author maps to no account fails closed (policy-bot #1263)",
    facts: facts({
      commits: [commit("first", "Bob Laptop"), commit("head", alice)],
      reviews: [approve(bob)],
    }),
    result: "fail",
    rules: { "unattributed-commits": "fail", "required-approvals": "pass" },
    reasons: {
      "unattributed-commits": new RegExp(`${short("first")} \\(author "Bob Laptop"\\)`),
    },
  },
  {
    name: "a commit whose committer maps to no account fails closed too",
    facts: facts({
      commits: [commit("head", alice, { committer: "Rebased Somewhere" })],
      reviews: [approve(bob)],
    }),
    result: "fail",
    rules: { "unattributed-commits": "fail" },
  },
  {
    name: "unattributed commits are let through only when the policy says so",
    facts: facts({ commits: [commit("head", "Bob Laptop")], reviews: [approve(bob)] }),
    policy: policy({ fail_on_unattributed_commits: false }),
    result: "pass",
    rules: { "unattributed-commits": "skipped" },
  },
  {
    name: "required_approvals 0 needs no review",
    facts: facts(),
    policy: policy({ required_approvals: 0 }),
    result: "pass",
  },
  {
    name: "two approvals required, one given",
    facts: facts({ reviews: [approve(bob)] }),
    policy: policy({ required_approvals: 2 }),
    result: "fail",
    reasons: { "required-approvals": /1 of 2 required approval\(s\): bob/ },
  },
];

describe("evaluate: approvals", () => {
  it.each(cases)("$name", (c) => void expectCase(c));
});
