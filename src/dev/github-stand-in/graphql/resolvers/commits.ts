import type { CommitObject } from "../../git/store.js";
import { nodeId } from "../../serialize/context.js";
import type { RepositoryState } from "../../state/repository.js";
import type { CheckRunRecord } from "../../state/types.js";
import { latestBy } from "../../routes/checks.js";
import { combinedState } from "../../serialize/checks.js";
import { connection, type ConnectionArgs } from "../connection.js";
import { commitSource, pullRequestSource, type GraphQLContext, type SourceOf } from "../sources.js";
import { userOf } from "./actors.js";
import type { ResolverTable } from "./types.js";

type CommitSrc = SourceOf<"Commit">;

function gitActor(ctx: GraphQLContext, person: CommitObject["author"], accountId: number | null) {
  return {
    name: person.name,
    email: person.email,
    date: person.date,
    user: userOf(ctx, accountId),
  };
}

function checkRun(run: CheckRunRecord) {
  return {
    __typename: "CheckRun",
    databaseId: run.id,
    name: run.name,
    status: run.status.toUpperCase(),
    conclusion: run.conclusion?.toUpperCase() ?? null,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
    detailsUrl: run.detailsUrl,
  };
}

/** Check suites of a commit: GitHub makes one per App that runs checks on it. */
function checkSuites(repo: RepositoryState, sha: string): SourceOf<"CheckSuite">[] {
  const byApp = new Map<number, CheckRunRecord[]>();
  for (const run of repo.checkRuns.filter((r) => r.headSha === sha))
    byApp.set(run.app.id, [...(byApp.get(run.app.id) ?? []), run]);
  return [...byApp.values()].map((runs) => ({ __typename: "CheckSuite", repo, sha, runs }));
}

/** Commits, their checks, statuses and associated pull requests. */
export const commitResolvers: ResolverTable = {
  Commit: {
    oid: (s: CommitSrc) => s.commit.sha,
    abbreviatedOid: (s: CommitSrc) => s.commit.sha.slice(0, 7),
    id: (s: CommitSrc) => nodeId("Commit", s.commit.sha),
    url: (s: CommitSrc, _a: unknown, ctx: GraphQLContext) =>
      `${ctx.web}/${s.repo.fullName}/commit/${s.commit.sha}`,
    message: (s: CommitSrc) => s.commit.message,
    messageHeadline: (s: CommitSrc) => s.commit.message.split("\n")[0],
    authoredDate: (s: CommitSrc) => s.commit.author.date,
    committedDate: (s: CommitSrc) => s.commit.committer.date,
    author: (s: CommitSrc, _a: unknown, ctx: GraphQLContext) =>
      gitActor(ctx, s.commit.author, s.commit.authorId),
    committer: (s: CommitSrc, _a: unknown, ctx: GraphQLContext) =>
      gitActor(ctx, s.commit.committer, s.commit.committerId),
    parents: (s: CommitSrc, args: ConnectionArgs) =>
      connection(
        s.commit.parents.flatMap((sha) => {
          const parent = s.repo.git.commits.get(sha);
          return parent ? [commitSource(s.repo, parent)] : [];
        }),
        args,
        "parents",
      ),
    checkSuites: (s: CommitSrc, args: ConnectionArgs) =>
      connection(checkSuites(s.repo, s.commit.sha), args, "checkSuites"),
    status: (s: CommitSrc) => {
      const statuses = latestBy(
        s.repo.statuses.filter((st) => st.sha === s.commit.sha),
        (st) => st.context,
      );
      if (statuses.length === 0) return null;
      return {
        state: combinedState(statuses).toUpperCase(),
        contexts: statuses.map((st) => ({
          context: st.context,
          state: st.state.toUpperCase(),
          description: st.description,
          targetUrl: st.targetUrl,
          createdAt: st.createdAt,
        })),
      };
    },
    // Like GET …/commits/{sha}/pulls: empty while GitHub's index lags a merge.
    associatedPullRequests: (s: CommitSrc, args: ConnectionArgs) => {
      const pulls = s.repo.unindexedCommits.has(s.commit.sha)
        ? []
        : [...s.repo.pulls.values()].filter((pr) => pr.associatedShas().has(s.commit.sha));
      return connection(pulls.map(pullRequestSource), args, "associatedPullRequests");
    },
  },
  CheckSuite: {
    app: (s: SourceOf<"CheckSuite">) => {
      const app = s.runs[0]!.app;
      return { databaseId: app.id, slug: app.slug, name: app.name };
    },
    commit: (s: SourceOf<"CheckSuite">) => {
      const commit = s.repo.git.commits.get(s.sha);
      return commit ? commitSource(s.repo, commit) : null;
    },
    checkRuns: (
      s: SourceOf<"CheckSuite">,
      args: ConnectionArgs & { filterBy?: { checkType?: string; checkName?: string } },
    ) => {
      let runs = s.runs.filter(
        (r) => !args.filterBy?.checkName || r.name === args.filterBy.checkName,
      );
      if (args.filterBy?.checkType !== "ALL") runs = latestBy(runs, (r) => r.name);
      return connection([...runs].reverse().map(checkRun), args, "checkRuns");
    },
  },
};
