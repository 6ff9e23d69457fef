// Reviews: the latest review of each reviewer wins, with GitHub's semantics, keyed by account id.
import { describe, expect, it } from "vitest";
import {
  alice,
  approve,
  bob,
  carol,
  comment,
  dismissed,
  facts,
  requestChanges,
} from "./builder.js";
import { expectCase, type Case } from "./evaluate-cases.js";

const cases: Case[] = [
  {
    name: "an approval of the head by someone else passes",
    facts: facts({ reviews: [approve(bob)] }),
    result: "pass",
    rules: { "required-approvals": "pass", "changes-requested": "pass" },
    reasons: { "required-approvals": /1 of 1 required approval\(s\): bob/ },
  },
  {
    name: "no review at all fails and says what to do",
    facts: facts(),
    result: "fail",
    rules: { "required-approvals": "fail" },
    reasons: { "required-approvals": /0 of 1 required approval\(s\).*Ask a reviewer/ },
  },
  {
    name: "approve, then a later request for changes by the same reviewer: blocked",
    facts: facts({ reviews: [approve(bob), requestChanges(bob)] }),
    result: "fail",
    rules: { "changes-requested": "fail", "required-approvals": "fail" },
    reasons: {
      "changes-requested":
        /bob \(on [0-9a-f]{7}\) requested changes: blocked until that reviewer approves/,
    },
  },
  {
    name: "a later request for changes blocks even when another reviewer approved",
    facts: facts({ reviews: [approve(bob), approve(carol), requestChanges(carol)] }),
    result: "fail",
    rules: { "changes-requested": "fail", "required-approvals": "pass" },
    reasons: { "changes-requested": /^carol/ },
  },
  {
    name: "request changes, then approve: the approval wins",
    facts: facts({ reviews: [requestChanges(bob), approve(bob)] }),
    result: "pass",
  },
  {
    name: "a comment after a request for changes does not lift it",
    facts: facts({ reviews: [requestChanges(bob), comment(bob), approve(carol)] }),
    result: "fail",
    rules: { "changes-requested": "fail" },
  },
  {
    name: "a comment after an approval does not withdraw it",
    facts: facts({ reviews: [approve(bob), comment(bob)] }),
    result: "pass",
  },
  {
    name: "comments alone are not approvals",
    facts: facts({ reviews: [comment(bob), comment(carol)] }),
    result: "fail",
    rules: { "required-approvals": "fail" },
  },
  {
    name: "a dismissed approval does not count (state DISMISSED, as GitHub reports it)",
    facts: facts({ reviews: [dismissed(bob)] }),
    result: "fail",
    rules: { "required-approvals": "fail" },
  },
  {
    name: "a dismissed review does not bring an earlier approval back (policy-bot #119)",
    facts: facts({ reviews: [approve(bob), dismissed(bob)] }),
    result: "fail",
    rules: { "required-approvals": "fail" },
  },
  {
    name: "a dismissed approval kept with its original state and dismissed: true does not count either",
    facts: facts({ reviews: [approve(bob), approve(bob, { dismissed: true })] }),
    result: "fail",
    rules: { "required-approvals": "fail" },
  },
  {
    name: "a dismissed request for changes no longer blocks",
    facts: facts({ reviews: [approve(carol), requestChanges(bob, { dismissed: true })] }),
    result: "pass",
    rules: { "changes-requested": "pass" },
  },
  {
    name: "a new approval after a dismissal counts",
    facts: facts({ reviews: [approve(bob), dismissed(bob), approve(bob)] }),
    result: "pass",
  },
  {
    name: "renamed reviewer (same id, new login): the latest review under the new login wins",
    facts: facts({
      reviews: [requestChanges({ ...bob, login: "bob-old" }), approve({ ...bob, login: "robert" })],
    }),
    result: "pass",
    reasons: { "required-approvals": /robert/ },
  },
  {
    name: "renamed reviewer: an approval under the old login is overridden by a block under the new",
    facts: facts({
      reviews: [approve({ ...bob, login: "bob-old" }), requestChanges({ ...bob, login: "robert" })],
    }),
    result: "fail",
    rules: { "changes-requested": "fail", "required-approvals": "fail" },
  },
  {
    name: "renamed author (same id, new login) still cannot approve",
    facts: facts({ reviews: [approve({ ...alice, login: "alice-renamed" })] }),
    result: "fail",
    rules: { "separation-of-duties": "fail" },
    reasons: { "separation-of-duties": /alice-renamed opened the pull request/ },
  },
  {
    name: "two people with the same login at different times are two reviewers (ids differ)",
    facts: facts({
      reviews: [requestChanges({ id: 77, login: "bob", type: "User" }), approve(bob)],
    }),
    result: "fail",
    rules: { "changes-requested": "fail" },
  },
];

describe("evaluate: reviews", () => {
  it.each(cases)("$name", (c) => void expectCase(c));

  it("orders reviews by submission time, not by their place in the list", () => {
    const first = approve(bob);
    const later = requestChanges(bob);
    expect(
      expectCase({ name: "", facts: facts({ reviews: [later, first] }), result: "fail" }).rules,
    ).toBeDefined();
  });
});
