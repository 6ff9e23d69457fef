import { nodeId } from "../../serialize/context.js";
import type { Account } from "../../state/types.js";
import { GitHubGraphQLError } from "../errors.js";
import { connection, type ConnectionArgs } from "../connection.js";
import { actorSource, type GraphQLContext, type SourceOf } from "../sources.js";
import type { ResolverTable } from "./types.js";

type ActorSource = SourceOf<"User" | "Bot" | "Organization">;

const common = {
  databaseId: (s: ActorSource) => s.account.id,
  id: (s: ActorSource) => nodeId(s.account.type, s.account.id),
  name: (s: ActorSource) => s.account.name,
  url: (s: ActorSource, _a: unknown, ctx: GraphQLContext) => `${ctx.web}/${s.account.login}`,
  avatarUrl: (s: ActorSource) => `https://avatars.githubusercontent.com/u/${s.account.id}?v=4`,
};

/** The organization with this login, or GitHub's NOT_FOUND. */
export function organizationByLogin(ctx: GraphQLContext, login: string): ActorSource {
  const account = ctx.state.findAccount(login);
  if (account?.type !== "Organization")
    throw new GitHubGraphQLError(
      `Could not resolve to an Organization with the login of '${login}'.`,
      "NOT_FOUND",
    );
  return actorSource(account) as ActorSource;
}

/** Users, bots and organizations (the Actor interface). */
export const actorResolvers: ResolverTable = {
  User: { ...common, login: (s: ActorSource) => s.account.login },
  // GraphQL names a bot without REST's "[bot]" suffix (REST: "dependabot[bot]", GraphQL: "dependabot").
  Bot: { ...common, login: (s: ActorSource) => s.account.login.replace(/\[bot\]$/, "") },
  Organization: {
    ...common,
    login: (s: ActorSource) => s.account.login,
    team: (s: ActorSource, args: { slug: string }, ctx: GraphQLContext) => {
      const team = ctx.state.findTeam(s.account.login, args.slug);
      return team ? { __typename: "Team", team } : null;
    },
  },
  Team: {
    slug: (s: SourceOf<"Team">) => s.team.slug,
    name: (s: SourceOf<"Team">) => s.team.name,
    databaseId: (s: SourceOf<"Team">) => s.team.id,
    members: (s: SourceOf<"Team">, args: ConnectionArgs & { role?: string }) => {
      const { members, maintainers } = s.team;
      const people =
        args.role === "MEMBER"
          ? members
          : args.role === "MAINTAINER"
            ? maintainers
            : [...maintainers, ...members];
      return connection(people.map(actorSource), args, "members");
    },
  },
};

/** The GitHub user a git email maps to (GitActor.user is a User: bots map to none). */
export function userOf(ctx: GraphQLContext, accountId: number | null): unknown {
  const account: Account | undefined =
    accountId === null ? undefined : ctx.state.accounts.get(accountId);
  return account?.type === "User" ? actorSource(account) : null;
}
