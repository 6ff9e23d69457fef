import type { CommitObject } from "../git/store.js";
import { HttpError, notFound } from "../http/errors.js";
import type { RouteRequest } from "../http/router.js";
import type { PullRequestState } from "../state/pull-request.js";
import type { RepositoryState } from "../state/repository.js";
import type { StandInState } from "../state/state.js";
import type { Account } from "../state/types.js";

/** The repository named by {owner}/{repo}, or GitHub's 404. */
export function repoOf(req: RouteRequest, state: StandInState): RepositoryState {
  const repo = state.findRepository(req.params.owner ?? "", req.params.repo ?? "");
  if (!repo) throw notFound();
  return repo;
}

/** The organization named by {org}, or GitHub's 404. */
export function orgOf(login: string, state: StandInState): Account {
  const org = state.findAccount(login);
  if (!org || org.type !== "Organization") throw notFound();
  return org;
}

/** An integer path parameter; GitHub answers 404 when it is not a number. */
export function intParam(req: RouteRequest, name: string): number {
  const value = req.params[name] ?? "";
  if (!/^\d+$/.test(value)) throw notFound();
  return Number(value);
}

export function pullOf(
  req: RouteRequest,
  state: StandInState,
  param = "pull_number",
): PullRequestState {
  const pr = repoOf(req, state).pulls.get(intParam(req, param));
  if (!pr) throw notFound();
  return pr;
}

/** GitHub's 409 for reads of a repository without any commit. */
export function assertNotEmpty(repo: RepositoryState): void {
  if (repo.git.isEmpty()) throw new HttpError(409, "Git Repository is empty.");
}

/** The commit a ref, branch or sha names; otherwise `onMissing` (default 404). */
export function commitAt(
  repo: RepositoryState,
  ref: string,
  onMissing: () => HttpError = () => notFound(),
): CommitObject {
  const sha = repo.git.resolve(ref);
  const commit = sha ? repo.git.commits.get(sha) : undefined;
  if (!commit) throw onMissing();
  return commit;
}

/** Who an API write is made as: the App's bot for installation tokens, else a stand-in user. */
export function writer(req: RouteRequest, state: StandInState): Account {
  if (req.auth?.kind === "installation-token" && req.auth.installationId !== undefined)
    return state.appBot();
  if (req.auth?.kind === "installation-token") {
    return (
      state.findAccount("github-actions[bot]") ??
      state.addBot({
        login: "github-actions",
        id: 41898282,
        email: "41898282+github-actions[bot]@users.noreply.github.com",
      })
    );
  }
  return state.findAccount("stand-in-user") ?? state.addUser("stand-in-user");
}

/** A JSON object body, or GitHub's 400. */
export function objectBody(req: RouteRequest): Record<string, unknown> {
  const body = req.body ?? {};
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "Problems parsing JSON");
  }
  return body as Record<string, unknown>;
}

/** GitHub's 422 "Invalid request" for a missing required field. */
export function missingField(field: string): HttpError {
  return new HttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
}

export function stringField(
  body: Record<string, unknown>,
  field: string,
  required = true,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw missingField(field);
    return undefined;
  }
  if (typeof value !== "string") {
    throw new HttpError(
      422,
      `Invalid request.\n\nFor 'properties/${field}', ${JSON.stringify(value)} is not a string.`,
    );
  }
  return value;
}
