import { counts, type Approval } from "./approvals.js";
import { ownerLabel, ruleFor } from "./codeowners.js";
import type { Evaluation } from "./evaluation.js";
import { byLogin } from "./identity.js";
import { restrictsApprovers, type RequirementGroup } from "./requirements.js";

/** A changed path that needs an approval from its owners (CODEOWNERS, or a control's owner). */
export interface OwnerRequirement {
  kind: "codeowners" | "control-owner";
  path: string;
  /** The owners in words, e.g. "@acme/security (CODEOWNERS line 4)". */
  owners: string;
  /** Owners whose approval counts. */
  approvedBy: string[];
  /** Owners who approved but whose approval was set aside, with why. */
  setAside: string[];
  /** Owners who reviewed without approving: only commented, or their review was dismissed. */
  notApproving: string[];
  /** Why no one can satisfy it as things stand (unknown role, uncollected team, emails only). */
  problem?: string;
}

export interface GroupAssessment {
  group: RequirementGroup;
  /** Approvals that count towards the group's required_approvals. */
  counted: Approval[];
  /** Approvals that passed every filter but are not from anyone the group accepts. */
  ineligible: Approval[];
  owners: OwnerRequirement[];
  approvalsMet: boolean;
  ownersMet: boolean;
}

/** Checks one requirement group against the approvals left after the filters. */
export function assessGroup(group: RequirementGroup, evaluation: Evaluation): GroupAssessment {
  const owners = ownerRequirements(group, evaluation);
  const valid = evaluation.approvals.filter(counts);
  const eligible = (approval: Approval) =>
    !restrictsApprovers(group.approvers) ||
    evaluation.directory.isListed(approval.reviewer, group.approvers) ||
    owners.some((o) => o.approvedBy.includes(approval.reviewer.login));
  const counted = valid.filter(eligible).sort((a, b) => byLogin(a.reviewer, b.reviewer));
  const ineligible = valid
    .filter((a) => !eligible(a))
    .sort((a, b) => byLogin(a.reviewer, b.reviewer));
  return {
    group,
    counted,
    ineligible,
    owners,
    approvalsMet: counted.length >= group.required_approvals,
    ownersMet: owners.every((o) => o.approvedBy.length > 0),
  };
}

export function assessAll(evaluation: Evaluation): GroupAssessment[] {
  return evaluation.groups.map((group) => assessGroup(group, evaluation));
}

function ownerRequirements(group: RequirementGroup, evaluation: Evaluation): OwnerRequirement[] {
  const out: OwnerRequirement[] = [];
  const { directory, codeowners, policy } = evaluation;
  if (group.approvers.codeowners && codeowners) {
    for (const path of group.files) {
      const rule = ruleFor(codeowners, path);
      // Unowned (no match, or a match with no owners) needs no owner's approval, as on GitHub.
      if (!rule || rule.owners.length === 0) continue;
      const isOwner = (a: Pick<Approval, "reviewer">) =>
        directory.isCodeOwner(a.reviewer, rule.owners);
      const unresolvable = directory.uncollectedTeams(rule.owners);
      const onlyEmails = rule.owners.every((o) => o.kind === "email");
      out.push({
        kind: "codeowners",
        path,
        owners: `${rule.owners.map(ownerLabel).join(" ")} (CODEOWNERS line ${rule.line})`,
        ...split(evaluation, isOwner),
        ...(onlyEmails
          ? {
              problem:
                "CODEOWNERS names only email addresses here, which cannot be tied to accounts",
            }
          : unresolvable.length === rule.owners.length
            ? { problem: `the members of ${unresolvable.join(", ")} were not collected` }
            : {}),
      });
    }
  }
  if (group.approvers.control_owners) {
    for (const path of group.files) {
      const role = policy.control_owners[path];
      if (role === undefined) continue;
      const people = directory.rolePeople(role);
      out.push({
        kind: "control-owner",
        path,
        owners: `owner ${people.label}`,
        ...split(evaluation, (a) => directory.inRole(a.reviewer, role)),
        ...(people.known ? {} : { problem: `nobody can approve for ${people.label}` }),
      });
    }
  }
  return out;
}

function split(
  { approvals, standings }: Evaluation,
  isOwner: (a: Pick<Approval, "reviewer">) => boolean,
): Pick<OwnerRequirement, "approvedBy" | "setAside" | "notApproving"> {
  const owners = approvals.filter(isOwner).sort((a, b) => byLogin(a.reviewer, b.reviewer));
  // An owner who looked but did not approve is named, so "needs an approval" is not read as
  // "no owner reviewed it".
  const notApproving = standings
    .filter((s) => (s.standing === "commented" || s.standing === "dismissed") && isOwner(s))
    .sort((a, b) => byLogin(a.reviewer, b.reviewer))
    .map((s) =>
      s.standing === "commented"
        ? `${s.reviewer.login} only commented`
        : `${s.reviewer.login}'s review was dismissed`,
    );
  return {
    approvedBy: owners.filter(counts).map((a) => a.reviewer.login),
    setAside: owners.filter((a) => !counts(a)).map((a) => a.setAside[0]!.why),
    notApproving,
  };
}
