import { parseCodeOwners } from "./codeowners.js";
import type { Approvers, ChangePolicy } from "./policy.js";

/**
 * The teams (org/team-slug) whose members the evaluator needs: those the policy's approvers name,
 * those of owner roles it names, and those CODEOWNERS names when CODEOWNERS approval is required.
 */
export function teamsToCollect(policy: ChangePolicy, codeownersText: string | null): string[] {
  const teams = new Set<string>();
  const groups: Approvers[] = [
    policy.approvers,
    ...policy.path_rules.flatMap((r) => (r.approvers ? [r.approvers] : [])),
  ];
  let codeowners = false;
  for (const approvers of groups) {
    for (const team of approvers.teams) teams.add(team.toLowerCase());
    for (const role of approvers.owners) {
      const team = policy.owners[role]?.github_team;
      if (team) teams.add(team.toLowerCase());
    }
    if (approvers.control_owners) {
      for (const role of Object.values(policy.control_owners)) {
        const team = policy.owners[role]?.github_team;
        if (team) teams.add(team.toLowerCase());
      }
    }
    codeowners ||= approvers.codeowners;
  }
  if (codeowners && codeownersText) {
    for (const rule of parseCodeOwners(codeownersText).rules) {
      for (const owner of rule.owners)
        if (owner.kind === "team") teams.add(owner.slug.toLowerCase());
    }
  }
  return [...teams].sort();
}

/** True when some approvers require CODEOWNERS approval, so the adapter must read CODEOWNERS. */
export function needsCodeOwners(policy: ChangePolicy): boolean {
  return (
    policy.approvers.codeowners || policy.path_rules.some((r) => r.approvers?.codeowners === true)
  );
}
