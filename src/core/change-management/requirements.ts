import type { PullRequestFacts } from "./facts.js";
import { globMatcher } from "./globs.js";
import type { Approvers, ChangePolicy } from "./policy.js";

/**
 * One set of approval requirements: the top-level one, which covers every changed file, or a path
 * rule that matches at least one. Each group must be satisfied on its own, so a path rule can only
 * add requirements (the strictest applies), never relax the top-level ones.
 */
export interface RequirementGroup {
  /** "all changes", or the path rule's name. */
  name: string;
  /** The files it covers (a renamed file counts under its old path too), sorted. */
  files: string[];
  required_approvals: number;
  approvers: Approvers;
  required_checks: string[];
}

export const ALL_CHANGES = "all changes";

/** Every path a change touches: new paths and, for renames and copies, the old ones. */
export function touchedPaths(facts: PullRequestFacts): string[] {
  const paths = new Set<string>();
  for (const file of facts.changed_files) {
    paths.add(file.path);
    if (file.previous_path) paths.add(file.previous_path);
  }
  return [...paths].sort();
}

export function requirementGroups(
  facts: PullRequestFacts,
  policy: ChangePolicy,
): RequirementGroup[] {
  const paths = touchedPaths(facts);
  const groups: RequirementGroup[] = [
    {
      name: ALL_CHANGES,
      files: paths,
      required_approvals: policy.required_approvals,
      approvers: policy.approvers,
      required_checks: [...policy.required_checks].sort(),
    },
  ];
  for (const rule of policy.path_rules) {
    const matches = globMatcher(rule.paths);
    const files = paths.filter((path) => matches(path));
    if (files.length === 0) continue;
    groups.push({
      name: rule.name,
      files,
      required_approvals: rule.required_approvals ?? policy.required_approvals,
      approvers: rule.approvers ?? policy.approvers,
      required_checks: [...rule.required_checks].sort(),
    });
  }
  return groups;
}

/** True when the group names who may approve, rather than accepting any reviewer. */
export function restrictsApprovers(approvers: Approvers): boolean {
  return approvers.users.length + approvers.teams.length + approvers.owners.length > 0;
}

export function hasApproverRules(approvers: Approvers): boolean {
  return restrictsApprovers(approvers) || approvers.codeowners || approvers.control_owners;
}
