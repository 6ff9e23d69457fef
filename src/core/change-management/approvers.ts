import { ownerLabel, type CodeOwner } from "./codeowners.js";
import type { Account, PullRequestFacts } from "./facts.js";
import { sameLogin } from "./identity.js";
import type { Approvers, ChangePolicy } from "./policy.js";

/**
 * Who is who, for the approver rules. soc2.yml and CODEOWNERS name people by login; teams are
 * resolved through the members the adapter collected (facts.team_members), by numeric id.
 */
export class Directory {
  private readonly teams = new Map<string, Account[]>();

  constructor(
    facts: PullRequestFacts,
    private readonly policy: ChangePolicy,
  ) {
    // Team slugs are case-insensitive on GitHub.
    for (const [slug, members] of Object.entries(facts.team_members))
      this.teams.set(slug.toLowerCase(), members);
  }

  /** The collected members of org/team, or undefined when the adapter did not collect them. */
  teamMembers(slug: string): Account[] | undefined {
    return this.teams.get(slug.toLowerCase());
  }

  inTeam(account: Account, slug: string): boolean {
    return (this.teamMembers(slug) ?? []).some((member) => member.id === account.id);
  }

  inRole(account: Account, role: string): boolean {
    const owner = this.policy.owners[role];
    if (!owner) return false;
    return (
      owner.github.some((login) => sameLogin(login, account.login)) ||
      (owner.github_team !== undefined && this.inTeam(account, owner.github_team))
    );
  }

  /** Whether a role has anyone who could approve for it, and a description of them. */
  rolePeople(role: string): { known: boolean; label: string } {
    const owner = this.policy.owners[role];
    if (!owner) return { known: false, label: `${role} (not an owner role in soc2.yml)` };
    const people = [...owner.github];
    if (owner.github_team) people.push(`team ${owner.github_team}`);
    return people.length === 0
      ? { known: false, label: `${role} (no github logins or github_team in soc2.yml)` }
      : { known: true, label: `${role} (${people.join(", ")})` };
  }

  isCodeOwner(account: Account, owners: readonly CodeOwner[]): boolean {
    return owners.some(
      (owner) =>
        owner.kind === "user"
          ? sameLogin(owner.login, account.login)
          : owner.kind === "team"
            ? this.inTeam(account, owner.slug)
            : false, // an email cannot be tied to an account from the facts alone
    );
  }

  /** Teams named in CODEOWNERS whose members the adapter did not collect. */
  uncollectedTeams(owners: readonly CodeOwner[]): string[] {
    return owners
      .filter((o): o is Extract<CodeOwner, { kind: "team" }> => o.kind === "team")
      .filter((o) => this.teamMembers(o.slug) === undefined)
      .map(ownerLabel);
  }

  /** Whether approvers.users, .teams or .owners name this account. */
  isListed(account: Account, approvers: Approvers): boolean {
    return (
      approvers.users.some((login) => sameLogin(login, account.login)) ||
      approvers.teams.some((slug) => this.inTeam(account, slug)) ||
      approvers.owners.some((role) => this.inRole(account, role))
    );
  }

  /** The listed sources in words, e.g. "users alice; team acme/sec; owners security-lead". */
  describeLists(approvers: Approvers): string {
    const parts: string[] = [];
    if (approvers.users.length > 0) parts.push(approvers.users.join(", "));
    if (approvers.teams.length > 0) parts.push(`members of ${approvers.teams.join(", ")}`);
    for (const role of approvers.owners) parts.push(`the ${this.rolePeople(role).label}`);
    if (approvers.codeowners) parts.push("code owners of the changed files");
    if (approvers.control_owners) parts.push("owners of the changed controls");
    return parts.join("; ");
  }
}
