// Who may approve: listed users, teams and owner roles, CODEOWNERS, control owners, path rules.
import { describe, it } from "vitest";
import type { PullRequestFacts } from "../../../src/core/change-management/facts.js";
import {
  alice,
  approve,
  bob,
  carol,
  commit,
  dave,
  facts,
  policy,
  praman,
  sokafor,
} from "./builder.js";
import { expectCase, type Case } from "./evaluate-cases.js";

const CONTROL = "controls/security/chg-01-change-management.yml";
const CONTROL_OWNERS = { [CONTROL]: "engineering-lead" };
const touching = (...paths: string[]): Pick<PullRequestFacts, "changed_files"> => ({
  changed_files: paths.map((path) => ({ path, status: "modified" as const })),
});
const codeowners = (text: string): Pick<PullRequestFacts, "codeowners"> => ({
  codeowners: { path: ".github/CODEOWNERS", text },
});
/** The example soc2.yml's path rule for controls, policies and soc2.yml. */
const CONTROLS_RULE = {
  name: "Controls and policies",
  paths: ["controls/**", "policies/**", "soc2.yml"],
  required_approvals: 1,
  approvers: { control_owners: true, owners: ["security-lead"] },
};

const cases: Case[] = [
  // Listed users, teams and owner roles.
  {
    name: "a listed user may approve",
    facts: facts({ reviews: [approve(carol)] }),
    policy: policy({ approvers: { users: ["Carol"] } }),
    result: "pass",
    rules: { "approver-eligibility": "pass" },
  },
  {
    name: "an unlisted reviewer's approval does not count",
    facts: facts({ reviews: [approve(bob)] }),
    policy: policy({ approvers: { users: ["carol"] } }),
    result: "fail",
    rules: { "approver-eligibility": "fail", "required-approvals": "fail" },
    reasons: {
      "approver-eligibility": /bob may not approve this change: the policy accepts carol/,
    },
  },
  {
    name: "a team member may approve through team_members (matched by id)",
    facts: facts({
      reviews: [approve(carol)],
      team_members: { "acme-cloud/reviewers": [{ ...carol, login: "carol-old-login" }] },
    }),
    policy: policy({ approvers: { teams: ["acme-cloud/reviewers"] } }),
    result: "pass",
  },
  {
    name: "someone outside the team may not",
    facts: facts({ reviews: [approve(bob)], team_members: { "acme-cloud/reviewers": [carol] } }),
    policy: policy({ approvers: { teams: ["acme-cloud/reviewers"] } }),
    result: "fail",
    reasons: { "approver-eligibility": /members of acme-cloud\/reviewers/ },
  },
  {
    name: "a team whose members were not collected has no members",
    facts: facts({ reviews: [approve(carol)] }),
    policy: policy({ approvers: { teams: ["acme-cloud/reviewers"] } }),
    result: "fail",
  },
  {
    name: "an owner role's login may approve",
    facts: facts({ reviews: [approve(sokafor)] }),
    policy: policy({ approvers: { owners: ["security-lead"] } }),
    result: "pass",
  },
  {
    name: "an owner role's team member may approve",
    facts: facts({ reviews: [approve(dave)], team_members: { "acme-cloud/security": [dave] } }),
    policy: policy({ approvers: { owners: ["security-lead"] } }),
    result: "pass",
  },
  {
    name: "an owner role with no GitHub identities admits nobody",
    facts: facts({ reviews: [approve(bob)] }),
    policy: policy({ approvers: { owners: ["ceo"] } }),
    result: "fail",
    reasons: { "approver-eligibility": /ceo \(no github logins or github_team in soc2.yml\)/ },
  },
  // CODEOWNERS of the base branch.
  {
    name: "CODEOWNERS: an owner of the changed path approves",
    facts: facts({ ...codeowners("* @carol\n"), reviews: [approve(carol)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "pass",
    reasons: { "approver-eligibility": /src\/export.ts: approved by carol/ },
  },
  {
    name: "CODEOWNERS: the last matching pattern wins",
    facts: facts({ ...codeowners("* @carol\n/src/ @dave\n"), reviews: [approve(carol)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "fail",
    rules: { "approver-eligibility": "fail", "required-approvals": "pass" },
    reasons: {
      "approver-eligibility": /src\/export.ts needs an approval from @dave \(CODEOWNERS line 2\)/,
    },
  },
  {
    name: "CODEOWNERS: the owner of the last matching pattern suffices",
    facts: facts({ ...codeowners("* @carol\n/src/ @dave\n"), reviews: [approve(dave)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "pass",
  },
  {
    name: "CODEOWNERS: an empty owner list un-owns the path",
    facts: facts({ ...codeowners("* @carol\n/src/\n"), reviews: [approve(bob)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "pass",
  },
  {
    name: "CODEOWNERS: any one of several owners suffices",
    facts: facts({
      ...codeowners("/src/ @carol @dave @acme-cloud/backend\n"),
      reviews: [approve(dave)],
    }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "pass",
  },
  {
    name: "CODEOWNERS: a team owner approves through team_members",
    facts: facts({
      ...codeowners("/src/ @acme-cloud/backend\n"),
      team_members: { "acme-cloud/backend": [bob] },
      reviews: [approve(bob)],
    }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "pass",
  },
  {
    name: "CODEOWNERS: a team whose members were not collected cannot approve, and the reason says so",
    facts: facts({ ...codeowners("/src/ @acme-cloud/backend\n"), reviews: [approve(bob)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "fail",
    reasons: { "approver-eligibility": /the members of @acme-cloud\/backend were not collected/ },
  },
  {
    name: "CODEOWNERS: email owners cannot be tied to accounts",
    facts: facts({ ...codeowners("/src/ owner@acme.example\n"), reviews: [approve(bob)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "fail",
    reasons: { "approver-eligibility": /only email addresses/ },
  },
  {
    name: "CODEOWNERS: the owner who wrote the change cannot approve it",
    facts: facts({ ...codeowners("/src/ @alice\n"), reviews: [approve(alice), approve(bob)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "fail",
    reasons: {
      "approver-eligibility": /@alice \(CODEOWNERS line 1\): alice opened the pull request/,
    },
  },
  {
    name: "CODEOWNERS: a renamed file needs the owners of its old path too",
    facts: facts({
      ...codeowners("/infra/ @carol\n"),
      changed_files: [{ path: "src/moved.tf", status: "renamed", previous_path: "infra/main.tf" }],
      reviews: [approve(bob)],
    }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "fail",
    reasons: { "approver-eligibility": /infra\/main.tf needs an approval from @carol/ },
  },
  {
    name: "CODEOWNERS: none on the base branch means no path has owners",
    facts: facts({ reviews: [approve(bob)] }),
    policy: policy({ approvers: { codeowners: true } }),
    result: "pass",
    reasons: { "approver-eligibility": /no CODEOWNERS file/ },
  },
  {
    name: "CODEOWNERS: a code owner may approve when the policy also lists users",
    facts: facts({ ...codeowners("/src/ @dave\n"), reviews: [approve(dave)] }),
    policy: policy({ approvers: { users: ["carol"], codeowners: true } }),
    result: "pass",
  },
  // Control owners and path rules.
  {
    name: "path rule: a control change needs its owner's approval (praman owns it)",
    facts: facts({ ...touching(CONTROL), reviews: [approve(praman)] }),
    policy: policy({ path_rules: [CONTROLS_RULE] }, CONTROL_OWNERS),
    result: "pass",
    reasons: {
      "required-approvals":
        /Controls and policies \(controls\/security\/chg-01-change-management.yml\): 1 of 1 required approval\(s\): praman/,
    },
  },
  {
    name: "path rule: the security lead alone does not cover a control owned by someone else",
    facts: facts({ ...touching(CONTROL), reviews: [approve(sokafor)] }),
    policy: policy({ path_rules: [CONTROLS_RULE] }, CONTROL_OWNERS),
    result: "fail",
    rules: { "approver-eligibility": "fail", "required-approvals": "pass" },
    reasons: {
      "approver-eligibility":
        /controls\/security\/chg-01-change-management.yml needs an approval from owner engineering-lead \(praman\), under "Controls and policies"/,
    },
  },
  {
    name: "path rule: a policy change needs the security lead",
    facts: facts({ ...touching("policies/access-control.md"), reviews: [approve(bob)] }),
    policy: policy({ path_rules: [CONTROLS_RULE] }, CONTROL_OWNERS),
    result: "fail",
    rules: { "required-approvals": "fail", "approver-eligibility": "fail" },
    reasons: {
      "required-approvals": /Controls and policies \(policies\/access-control.md\): 0 of 1/,
    },
  },
  {
    name: "path rule: does not apply to files it does not match",
    facts: facts({ ...touching("src/export.ts"), reviews: [approve(bob)] }),
    policy: policy({ path_rules: [CONTROLS_RULE] }, CONTROL_OWNERS),
    result: "pass",
    rules: { "approver-eligibility": "skipped" },
  },
  {
    name: "path rule: stricter count for controls/** (two approvals, one given)",
    facts: facts({ ...touching(CONTROL, "src/export.ts"), reviews: [approve(bob)] }),
    policy: policy({
      path_rules: [{ name: "Controls", paths: ["controls/**"], required_approvals: 2 }],
    }),
    result: "fail",
    reasons: {
      "required-approvals": /1 of 1 required approval\(s\): bob; Controls \(.*\): 1 of 2/,
    },
  },
  {
    name: "path rule: stricter count for controls/** met",
    facts: facts({ ...touching(CONTROL), reviews: [approve(bob), approve(carol)] }),
    policy: policy({
      path_rules: [{ name: "Controls", paths: ["controls/**"], required_approvals: 2 }],
    }),
    result: "pass",
  },
  {
    name: "path rule: cannot relax the top-level count (the strictest applies)",
    facts: facts({ ...touching(CONTROL), reviews: [approve(bob)] }),
    policy: policy({
      required_approvals: 2,
      path_rules: [{ name: "Controls", paths: ["controls/**"], required_approvals: 1 }],
    }),
    result: "fail",
  },
  {
    name: "path rule: the control owner who wrote the change cannot approve it",
    facts: facts({
      author: praman,
      last_pusher: praman,
      commits: [commit("head", praman)],
      ...touching(CONTROL),
      reviews: [approve(praman), approve(sokafor)],
    }),
    policy: policy({ path_rules: [CONTROLS_RULE] }, CONTROL_OWNERS),
    result: "fail",
    reasons: { "approver-eligibility": /praman opened the pull request/ },
  },
  {
    name: "path rule: a control owned by a role nobody fills cannot be approved",
    facts: facts({ ...touching(CONTROL), reviews: [approve(sokafor)] }),
    policy: policy({ path_rules: [CONTROLS_RULE] }, { [CONTROL]: "ceo" }),
    result: "fail",
    reasons: { "approver-eligibility": /nobody can approve for ceo/ },
  },
];

describe("evaluate: approvers", () => {
  it.each(cases)("$name", (c) => void expectCase(c));
});
