import { standingApprovals, type Approval } from "./approvals.js";
import { Directory } from "./approvers.js";
import { parseCodeOwners, type CodeOwners } from "./codeowners.js";
import type { PullRequestFacts } from "./facts.js";
import type { ChangePolicy } from "./policy.js";
import { requirementGroups, type RequirementGroup } from "./requirements.js";
import { reviewerStandings, type ReviewerStanding } from "./reviews.js";

/** What the rules share: the inputs and what is derived from them once. */
export interface Evaluation {
  facts: PullRequestFacts;
  policy: ChangePolicy;
  now: Date;
  standings: ReviewerStanding[];
  /** Standing approvals; the approval filters fill in setAside. */
  approvals: Approval[];
  groups: RequirementGroup[];
  directory: Directory;
  /** The base branch's CODEOWNERS, parsed; null when it has none. */
  codeowners: CodeOwners | null;
}

export function prepare(facts: PullRequestFacts, policy: ChangePolicy, now: Date): Evaluation {
  const standings = reviewerStandings(facts.reviews);
  return {
    facts,
    policy,
    now,
    standings,
    approvals: standingApprovals(standings),
    groups: requirementGroups(facts, policy),
    directory: new Directory(facts, policy),
    codeowners: facts.codeowners ? parseCodeOwners(facts.codeowners.text) : null,
  };
}
