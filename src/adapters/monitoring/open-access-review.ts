import { parse } from "yaml";
import {
  accessReviewPath,
  buildAccessReview,
  readAccessReview,
  renderAccessReview,
  type AccessReview,
  type AccessReviewInput,
} from "../../core/monitoring/index.js";
import { asObject, asString } from "../../core/json-read.js";
import { attempt, statusOf, type GitHubClient } from "../github/client.js";
import { retryingClient } from "../github/retrying-client.js";
import type { RetryOptions } from "../evidence/retry.js";

export interface OpenAccessReviewInput extends Omit<AccessReviewInput, "previous"> {
  client: GitHubClient;
  /** The compliance repository (owner/name) the pull request is opened in. */
  repository: string;
  /** Team slugs (of the compliance repository's organization) asked to review too. */
  teamReviewers?: readonly string[];
  /** Only say what would be done. */
  dryRun?: boolean;
  retry?: RetryOptions;
}

export interface OpenAccessReviewResult {
  /** opened: a new pull request; updated: the open one's file changed; unchanged: nothing to do. */
  action: "opened" | "updated" | "unchanged";
  number?: number;
  branch: string;
  path: string;
  review: AccessReview;
  gaps: string[];
  /** Reviewers GitHub would not ask (e.g. the pull request's own author), with its answer. */
  reviewerProblem?: string;
}

/** The branch a period's review is proposed on: one per period, so a rerun finds it again. */
export const reviewBranch = (period: string) => `soc2/access-review-${period}`;

/**
 * Opens the period's access review as a pull request in the compliance repository, or updates the
 * one already open for the period (never a second one): a branch soc2/access-review-<period>, the
 * file access-reviews/<period>.yaml with decisions already made there kept, and the control
 * owner's people asked to review.
 */
export async function openAccessReview(
  input: OpenAccessReviewInput,
): Promise<OpenAccessReviewResult> {
  const client = retryingClient(input.client, input.retry ?? {});
  const [owner = "", repo = ""] = input.repository.split("/");
  const base = { owner, repo };
  const branch = reviewBranch(input.period);
  const path = accessReviewPath(input.period);
  const repository = asObject(
    (
      await attempt(`reading ${input.repository}`, () =>
        client.request("GET /repos/{owner}/{repo}", base),
      )
    ).data,
  );
  const defaultBranch = asString(repository.default_branch) ?? "main";
  const openNumber = await openPull(client, base, branch);
  const branchExists = await client
    .request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...base, ref: `heads/${branch}` })
    .then(
      () => true,
      (error: unknown) => {
        if (statusOf(error) === 404) return false;
        throw error;
      },
    );
  // The file as it stands on the branch (or, before the branch exists, on the default branch).
  const existing = await readFile(client, base, path, branchExists ? branch : defaultBranch);
  const previous = existing ? readAccessReview(parse(existing.text), path) : undefined;
  const { review, gaps } = buildAccessReview({ ...input, ...(previous ? { previous } : {}) });
  // The same list as the file holds is not a new reading: keep its time, so a rerun changes nothing.
  const same = (r: AccessReview) =>
    JSON.stringify([r.entries, r.repositories, r.reviewers, r.control]);
  if (previous && same(previous) === same(review)) review.generated_at = previous.generated_at;
  const text = renderAccessReview(review, gaps);
  const changed = existing?.text !== text;
  const number = openNumber;
  const result = { branch, path, review, gaps };
  if (!changed && number !== undefined) return { action: "unchanged", number, ...result };
  if (input.dryRun)
    return {
      action: number === undefined ? "opened" : "updated",
      ...(number ? { number } : {}),
      ...result,
    };
  if (!branchExists) {
    const head = asObject(
      asObject(
        (
          await attempt(`reading ${input.repository}'s ${defaultBranch}`, () =>
            client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
              ...base,
              ref: `heads/${defaultBranch}`,
            }),
          )
        ).data,
      ).object,
    );
    await attempt(`creating the branch ${branch}`, () =>
      client
        .request("POST /repos/{owner}/{repo}/git/refs", {
          ...base,
          ref: `refs/heads/${branch}`,
          sha: asString(head.sha),
        })
        // Created meanwhile by another run (a second replica): the branch is there, go on.
        .catch((error: unknown) => {
          if (statusOf(error) !== 422) throw error;
        }),
    );
  }
  if (changed) {
    // The file on the branch: its sha, when the branch (new or not) already holds one.
    const onBranch = branchExists ? existing : await readFile(client, base, path, branch);
    await attempt(`writing ${path} on ${branch}`, () =>
      client.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        ...base,
        path,
        branch,
        message: `chore(access-review): ${review.period} access list of ${review.organization}`,
        content: Buffer.from(text, "utf8").toString("base64"),
        ...(onBranch ? { sha: onBranch.sha } : {}),
      }),
    );
  }
  if (number !== undefined) return { action: "updated", number, ...result };
  let created: Record<string, unknown>;
  try {
    created = asObject(
      (
        await client.request("POST /repos/{owner}/{repo}/pulls", {
          ...base,
          title: `Access review ${review.period}: ${review.organization}`,
          head: branch,
          base: defaultBranch,
          body: pullRequestBody(review, gaps),
        })
      ).data,
    );
  } catch (error) {
    // Opened meanwhile by another run (a second replica): that one is the period's review.
    const other = statusOf(error) === 422 ? await openPull(client, base, branch) : undefined;
    if (other !== undefined)
      return { action: changed ? "updated" : "unchanged", number: other, ...result };
    return attempt(`opening the access review pull request in ${input.repository}`, () =>
      Promise.reject(error),
    );
  }
  const opened = typeof created.number === "number" ? created.number : 0;
  let reviewerProblem: string | undefined;
  const teams = input.teamReviewers ?? [];
  if (review.reviewers.length > 0 || teams.length > 0)
    await client
      .request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
        ...base,
        pull_number: opened,
        reviewers: review.reviewers,
        ...(teams.length > 0 ? { team_reviewers: [...teams] } : {}),
      })
      .catch((error: unknown) => {
        // A review GitHub will not request (the token's own user, a non-collaborator) is reported, not fatal.
        if (statusOf(error) !== 422) throw error;
        reviewerProblem =
          error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      });
  return {
    action: "opened",
    number: opened,
    ...result,
    ...(reviewerProblem ? { reviewerProblem } : {}),
  };
}

/** The number of the pull request open from `branch`, if one is. */
async function openPull(
  client: GitHubClient,
  base: { owner: string; repo: string },
  branch: string,
): Promise<number | undefined> {
  const open = asObject(
    (
      await attempt(`listing the open pull requests of ${base.owner}/${base.repo}`, () =>
        client.paginate("GET /repos/{owner}/{repo}/pulls", {
          ...base,
          state: "open",
          head: `${base.owner}:${branch}`,
          per_page: 100,
        }),
      )
    )[0],
  );
  return typeof open.number === "number" ? open.number : undefined;
}

async function readFile(
  client: GitHubClient,
  base: { owner: string; repo: string },
  path: string,
  ref: string,
): Promise<{ text: string; sha: string } | undefined> {
  try {
    const data = asObject(
      (await client.request("GET /repos/{owner}/{repo}/contents/{path}", { ...base, path, ref }))
        .data,
    );
    const content = asString(data.content);
    const sha = asString(data.sha);
    if (content === undefined || sha === undefined) return undefined;
    return { text: Buffer.from(content, "base64").toString("utf8"), sha };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

function pullRequestBody(review: AccessReview, gaps: readonly string[]): string {
  const counts = review.entries.reduce<Record<string, number>>((acc, e) => {
    acc[e.kind] = (acc[e.kind] ?? 0) + 1;
    return acc;
  }, {});
  return [
    `The ${review.period} access review of **${review.organization}** for control **${review.control}**: every owner, member, outside collaborator and team with their permission on ${review.repositories.length} in-scope repositor${review.repositories.length === 1 ? "y" : "ies"}.`,
    "",
    `In \`${accessReviewPath(review.period)}\`, set each entry's \`decision\` to \`keep\` or \`remove\` (and a \`note\`), then merge. Merging is the review's evidence; an access marked \`remove\` that a later settings snapshot still shows is drift of ${review.control}.`,
    "",
    `Entries: ${
      Object.entries(counts)
        .map(([k, n]) => `${n} ${k.replace("_", " ")}`)
        .join(", ") || "none"
    }.`,
    ...(review.reviewers.length > 0
      ? ["", `Reviewers (the control owner): ${review.reviewers.map((r) => `@${r}`).join(", ")}.`]
      : []),
    ...(gaps.length > 0
      ? ["", "GitHub did not show (the list is incomplete there):", ...gaps.map((g) => `- ${g}`)]
      : []),
  ].join("\n");
}
