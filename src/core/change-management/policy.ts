import { asObject, asString, asStrings } from "../model.js";

/** Who may approve; see $defs.approvers in schemas/soc2.schema.json. */
export interface Approvers {
  users: string[];
  teams: string[];
  owners: string[];
  codeowners: boolean;
  control_owners: boolean;
}

export interface PathRule {
  name: string;
  paths: string[];
  /** Absent: the top-level required_approvals. */
  required_approvals?: number;
  /** Absent: the top-level approvers. */
  approvers?: Approvers;
  required_checks: string[];
}

export type TicketPlace = "title" | "body" | "branch";

/** An owner role of soc2.yml, reduced to what identifies its people on GitHub. */
export interface OwnerRole {
  github: string[];
  github_team?: string;
}

/**
 * The change-management policy the evaluator applies: soc2.yml's change_management block with
 * every default filled in, plus the owner roles and which role owns each control file. Keys
 * mirror soc2.yml, so an auditor can read it next to the file it came from.
 */
export interface ChangePolicy {
  branches: string[];
  required_approvals: number;
  approvers: Approvers;
  approval_must_be_on_head: boolean;
  separation_of_duties: { author: boolean; committers: boolean; last_pusher: boolean };
  fail_on_unattributed_commits: boolean;
  required_checks: string[];
  ticket: { required: boolean; pattern: string; in: TicketPlace[] };
  path_rules: PathRule[];
  emergency: { label: string; retrospective_review_hours: number } | null;
  owners: Record<string, OwnerRole>;
  /** Control file path (from the repository root) → the owner role named in it. */
  control_owners: Record<string, string>;
}

export const DEFAULT_TICKET_PATTERN = "[A-Z][A-Z0-9]+-[0-9]+";

/**
 * How much of a title, description or branch name a ticket pattern is matched against. Ticket
 * references sit near the top; a pattern run over a huge hostile description could take seconds.
 */
export const TICKET_SCAN_CHARS = 16_384;
export const DEFAULT_RETROSPECTIVE_HOURS = 48;
const TICKET_PLACES: readonly TicketPlace[] = ["title", "body", "branch"];

/**
 * Reads the policy from the value of soc2.yml (already checked against its schema by the caller),
 * applying the schema's defaults. Reads leniently: a missing or odd value takes its default rather
 * than throwing, and the defaults are the strict choices.
 *
 * @param controlOwners control file path → owner role, built by the caller from the repository
 *   (see controlOwnersOf); only needed when a rule sets approvers.control_owners.
 */
export function readChangePolicy(
  program: unknown,
  controlOwners: Readonly<Record<string, string>> = {},
): ChangePolicy {
  const root = asObject(program);
  const cm = asObject(root.change_management);
  const sod = asObject(cm.separation_of_duties);
  const ticket = asObject(cm.ticket);
  const emergency = asObject(cm.emergency);
  const label = asString(emergency.label);
  const places = asStrings(ticket.in).filter((p): p is TicketPlace =>
    (TICKET_PLACES as readonly string[]).includes(p),
  );
  return {
    branches: cm.branches === undefined ? ["main"] : asStrings(cm.branches),
    required_approvals: count(cm.required_approvals, 1),
    approvers: readApprovers(cm.approvers),
    approval_must_be_on_head: flag(cm.approval_must_be_on_head, true),
    separation_of_duties: {
      author: flag(sod.author, true),
      committers: flag(sod.committers, true),
      last_pusher: flag(sod.last_pusher, true),
    },
    fail_on_unattributed_commits: flag(cm.fail_on_unattributed_commits, true),
    required_checks: asStrings(cm.required_checks),
    ticket: {
      required: flag(ticket.required, false),
      pattern: asString(ticket.pattern) ?? DEFAULT_TICKET_PATTERN,
      in: places.length > 0 ? places : [...TICKET_PLACES],
    },
    path_rules: (Array.isArray(cm.path_rules) ? cm.path_rules : []).map(readPathRule),
    emergency: label
      ? {
          label,
          retrospective_review_hours: count(
            emergency.retrospective_review_hours,
            DEFAULT_RETROSPECTIVE_HOURS,
          ),
        }
      : null,
    owners: readOwners(root.owners),
    control_owners: Object.fromEntries(
      Object.entries(controlOwners).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  };
}

function readPathRule(value: unknown, index: number): PathRule {
  const rule = asObject(value);
  const approvals = rule.required_approvals;
  return {
    name: asString(rule.name) ?? `path rule ${index + 1}`,
    paths: asStrings(rule.paths),
    ...(typeof approvals === "number" ? { required_approvals: count(approvals, 0) } : {}),
    ...(rule.approvers === undefined ? {} : { approvers: readApprovers(rule.approvers) }),
    required_checks: asStrings(rule.required_checks),
  };
}

function readApprovers(value: unknown): Approvers {
  const a = asObject(value);
  return {
    users: asStrings(a.users),
    teams: asStrings(a.teams),
    owners: asStrings(a.owners),
    codeowners: flag(a.codeowners, false),
    control_owners: flag(a.control_owners, false),
  };
}

function readOwners(value: unknown): Record<string, OwnerRole> {
  const out: Record<string, OwnerRole> = {};
  for (const [role, raw] of Object.entries(asObject(value)).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    const owner = asObject(raw);
    const team = asString(owner.github_team);
    out[role] = { github: asStrings(owner.github), ...(team ? { github_team: team } : {}) };
  }
  return out;
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

function count(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** True when some rule needs the control-owner map (so a caller knows whether to build it). */
export function needsControlOwners(policy: ChangePolicy): boolean {
  return (
    policy.approvers.control_owners ||
    policy.path_rules.some((rule) => rule.approvers?.control_owners === true)
  );
}
