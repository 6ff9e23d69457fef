// Required checks on the commit being merged, and the ticket reference.
import { describe, it } from "vitest";
import { approve, bob, checkRun, facts, HEAD, policy, sha, status } from "./builder.js";
import { expectCase, type Case } from "./evaluate-cases.js";

const approved = { reviews: [approve(bob)] };
const QUEUE = sha("merge-queue");
const mergeGroup = {
  event: "merge_group" as const,
  merge_group: {
    head_sha: QUEUE,
    head_ref: "refs/heads/gh-readonly-queue/main/pr-42-abc",
    base_sha: sha("base"),
    base_ref: "refs/heads/main",
  },
};

const checks: Case[] = [
  {
    name: "passed on the head",
    facts: facts({ ...approved }),
    result: "pass",
    rules: { "required-checks": "pass" },
    reasons: { "required-checks": new RegExp(`passed on the head ${HEAD.slice(0, 7)}: validate`) },
  },
  {
    name: "missing: pending",
    facts: facts({ ...approved, checks: [] }),
    result: "pending",
    rules: { "required-checks": "pending" },
    reasons: { "required-checks": /validate has not reported yet/ },
  },
  {
    name: "in progress: pending",
    facts: facts({ ...approved, checks: [checkRun("validate", null)] }),
    result: "pending",
    reasons: { "required-checks": /validate is in progress/ },
  },
  {
    name: "queued: pending",
    facts: facts({ ...approved, checks: [checkRun("validate", null, { status: "queued" })] }),
    result: "pending",
  },
  {
    name: "failed: fail",
    facts: facts({ ...approved, checks: [checkRun("validate", "failure")] }),
    result: "fail",
    rules: { "required-checks": "fail" },
    reasons: { "required-checks": /validate failed \(failure\)/ },
  },
  {
    name: "timed out: fail",
    facts: facts({ ...approved, checks: [checkRun("validate", "timed_out")] }),
    result: "fail",
  },
  {
    name: "neutral and skipped count as passed, as in branch protection",
    facts: facts({
      ...approved,
      checks: [checkRun("validate", "neutral"), checkRun("lint", "skipped")],
    }),
    policy: policy({ required_checks: ["validate", "lint"] }),
    result: "pass",
  },
  {
    name: "a commit status counts like a check run",
    facts: facts({ ...approved, checks: [status("validate", "success")] }),
    result: "pass",
  },
  {
    name: "a failed commit status fails",
    facts: facts({ ...approved, checks: [status("validate", "error")] }),
    result: "fail",
  },
  {
    name: "a pending commit status waits",
    facts: facts({ ...approved, checks: [status("validate", "pending")] }),
    result: "pending",
  },
  {
    name: "a success on an older commit says nothing about the head: pending",
    facts: facts({ ...approved, checks: [checkRun("validate", "success", { on: sha("first") })] }),
    result: "pending",
    reasons: { "required-checks": /validate has run only on other commits/ },
  },
  {
    name: "one failure among several checks fails; the pending one is listed too",
    facts: facts({
      ...approved,
      checks: [checkRun("validate", "failure"), checkRun("test", null)],
    }),
    policy: policy({ required_checks: ["validate", "test"] }),
    result: "fail",
    reasons: { "required-checks": /validate failed \(failure\); test is in progress/ },
  },
  {
    name: "a path rule adds its checks for the files it matches",
    facts: facts({
      ...approved,
      changed_files: [{ path: "infra/main.tf", status: "modified" }],
    }),
    policy: policy({
      path_rules: [
        { name: "Infrastructure", paths: ["infra/**"], required_checks: ["terraform-plan"] },
      ],
    }),
    result: "pending",
    reasons: {
      "required-checks": /terraform-plan has not reported yet \(required by Infrastructure\)/,
    },
  },
  {
    name: "no required checks: skipped",
    facts: facts({ ...approved, checks: [] }),
    policy: policy({ required_checks: [] }),
    result: "pass",
    rules: { "required-checks": "skipped" },
  },
  {
    name: "merge queue: the checks must pass on the merge-group commit",
    facts: facts({
      ...approved,
      ...mergeGroup,
      checks: [checkRun("validate", "success", { on: QUEUE })],
    }),
    result: "pass",
    reasons: { "required-checks": /the merge-group commit/ },
  },
  {
    name: "merge queue: a pass on the pull request's head is not enough",
    facts: facts({ ...approved, ...mergeGroup }),
    result: "pending",
  },
  {
    name: "merge queue: the queued group must still reflect an approval of the head",
    facts: facts({
      reviews: [approve(bob, { on: sha("first") })],
      ...mergeGroup,
      checks: [checkRun("validate", "success", { on: QUEUE })],
    }),
    result: "fail",
    rules: { "approval-on-head": "fail" },
  },
];

const ticketPolicy = policy({ ticket: { required: true } });
const tickets: Case[] = [
  {
    name: "a ticket in the branch name only is enough",
    facts: facts({
      ...approved,
      head: { ref: "feature/PAY-123-rate-limit", sha: HEAD, repo_full_name: "acme-cloud/platform" },
    }),
    policy: ticketPolicy,
    result: "pass",
    reasons: { "ticket-reference": /found PAY-123 in the branch name/ },
  },
  {
    name: "a ticket in the title",
    facts: facts({ ...approved, title: "OPS-7: rotate keys" }),
    policy: ticketPolicy,
    result: "pass",
    reasons: { "ticket-reference": /found OPS-7 in the title/ },
  },
  {
    name: "a ticket in the description",
    facts: facts({ ...approved, body: "Fixes SEC-42." }),
    policy: ticketPolicy,
    result: "pass",
  },
  {
    name: "no ticket anywhere fails and says where to add one",
    facts: facts({ ...approved, body: null }),
    policy: ticketPolicy,
    result: "fail",
    reasons: {
      "ticket-reference":
        /no ticket reference matching .* in the title, the description or the branch name/,
    },
  },
  {
    name: "only the places the policy names are searched",
    facts: facts({ ...approved, body: "Fixes SEC-42." }),
    policy: policy({ ticket: { required: true, in: ["title"] } }),
    result: "fail",
  },
  {
    name: "a custom pattern, e.g. GitHub issue links",
    facts: facts({ ...approved, body: "Closes #318" }),
    policy: policy({ ticket: { required: true, pattern: "#[0-9]+" } }),
    result: "pass",
  },
  {
    name: "an invalid pattern fails with a reason pointing at soc2.yml",
    facts: facts({ ...approved, title: "PAY-1" }),
    policy: policy({ ticket: { required: true, pattern: "([A-Z]+" } }),
    result: "fail",
    reasons: { "ticket-reference": /ticket.pattern in soc2.yml is not a valid regular expression/ },
  },
  {
    name: "not required: skipped",
    facts: facts({ ...approved }),
    result: "pass",
    rules: { "ticket-reference": "skipped" },
  },
];

describe("evaluate: required checks", () => {
  it.each(checks)("$name", (c) => void expectCase(c));
});

describe("evaluate: ticket reference", () => {
  it.each(tickets)("$name", (c) => void expectCase(c));
});
