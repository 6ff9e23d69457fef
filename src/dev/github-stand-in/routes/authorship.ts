import type { GitSignature } from "../git/objects.js";
import { isoSeconds } from "../git/objects.js";
import { verifiedByGitHub, type Verification } from "../git/store.js";
import { HttpError } from "../http/errors.js";
import type { RouteRequest } from "../http/router.js";
import type { RepositoryState } from "../state/repository.js";
import type { StandInState } from "../state/state.js";
import { writer } from "./common.js";

export interface Signed {
  signature: GitSignature;
  accountId: number | null;
}

function given(
  repo: RepositoryState,
  value: unknown,
  field: string,
  now: string,
): Signed | undefined {
  if (value === undefined || value === null) return undefined;
  const p = value as Record<string, unknown>;
  if (typeof p !== "object" || typeof p.name !== "string" || typeof p.email !== "string") {
    throw new HttpError(422, `Invalid request.\n\n"name" and "email" are required in "${field}".`);
  }
  const date =
    typeof p.date === "string" && !Number.isNaN(Date.parse(p.date)) ? isoSeconds(p.date) : now;
  return repo.signature({ name: p.name, email: p.email }, date);
}

/**
 * Author, committer and verification of a commit made through the API: the given identities, else
 * the caller's (the App's bot for installation tokens). GitHub signs what an installation commits.
 */
export function apiSignatures(
  req: RouteRequest,
  state: StandInState,
  repo: RepositoryState,
  body: Record<string, unknown>,
  defaults: "git" | "contents",
): { author: Signed; committer: Signed; verification: Verification | undefined } {
  const now = state.clock.current();
  const self = () => repo.signature(writer(req, state), now);
  const givenAuthor = given(repo, body.author, "author", now);
  const givenCommitter = given(repo, body.committer, "committer", now);
  // Git Data: committer defaults to the author. Contents: author defaults to the committer.
  const author =
    defaults === "git" ? (givenAuthor ?? self()) : (givenAuthor ?? givenCommitter ?? self());
  const committer = givenCommitter ?? (defaults === "git" ? author : self());
  const verification = req.auth?.kind === "installation-token" ? verifiedByGitHub(now) : undefined;
  return { author, committer, verification };
}
