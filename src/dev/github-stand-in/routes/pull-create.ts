import { HttpError, unprocessable } from "../http/errors.js";
import type { Route } from "../http/router.js";
import { pullRequest, pullRequestSimple } from "../serialize/pulls.js";
import { objectBody, pullOf, repoOf, stringField, writer } from "./common.js";

/** GitHub's answer when a reviewer asked for is not a collaborator of the repository. */
const notCollaborator = (repository: string) =>
  unprocessable(
    "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the " +
      `${repository} repository.`,
  );

/** Opening a pull request from a branch pushed through the API, and requesting reviewers. */
export const pullCreateRoutes: Route[] = [
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/pulls",
    handler: (req, state) => {
      const repo = repoOf(req, state);
      const body = objectBody(req);
      const title = stringField(body, "title") as string;
      const head = (stringField(body, "head") as string).replace(/^[^:]+:/, "");
      const base = stringField(body, "base") as string;
      if (!repo.branchSha(base))
        throw unprocessable("Validation Failed", [
          { resource: "PullRequest", field: "base", code: "invalid" },
        ]);
      if (!repo.branchSha(head))
        throw unprocessable("Validation Failed", [
          { resource: "PullRequest", field: "head", code: "invalid" },
        ]);
      const open = [...repo.pulls.values()].find(
        (pr) => pr.state === "open" && pr.headRef === head && pr.baseRef === base,
      );
      if (open)
        throw unprocessable("Validation Failed", [
          {
            resource: "PullRequest",
            code: "custom",
            message: `A pull request already exists for ${repo.owner.login}:${head}.`,
          },
        ]);
      const pr = repo.addPullRequest({
        author: writer(req, state),
        title,
        body: stringField(body, "body", false) ?? null,
        head,
        base,
        draft: body.draft === true,
        existingHead: true,
        at: state.clock.current(),
      });
      return { status: 201, body: pullRequest(req.ctx, pr) };
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
    handler: (req, state) => {
      const pr = pullOf(req, state);
      const body = objectBody(req);
      const logins = Array.isArray(body.reviewers) ? body.reviewers : [];
      for (const login of logins) {
        const account = typeof login === "string" ? state.findAccount(login) : undefined;
        if (!account || account.type === "Organization") throw notCollaborator(pr.repo.fullName);
        if (account.id === pr.author.id)
          throw new HttpError(422, "Review cannot be requested from pull request author.");
        if (!pr.requestedReviewers.some((a) => a.id === account.id))
          pr.requestedReviewers.push(account);
      }
      const slugs = Array.isArray(body.team_reviewers) ? body.team_reviewers : [];
      for (const slug of slugs) {
        const team =
          typeof slug === "string" ? state.findTeam(pr.repo.owner.login, slug) : undefined;
        if (!team) throw notCollaborator(pr.repo.fullName);
        if (!pr.requestedTeams.some((t) => t.id === team.id)) pr.requestedTeams.push(team);
      }
      return { status: 201, body: pullRequestSimple(req.ctx, pr) };
    },
  },
];
