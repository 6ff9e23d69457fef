// GitHub API answers for the handler tests, in GitHub's shapes (trimmed to what the collectors
// read), for the pull request of @octokit/webhooks-examples: Codertocat/Hello-World#2.
import type nock from "nock";
import { base64, example } from "./support.js";

export const REPO = "/repos/Codertocat/Hello-World";
const closed = example("pull_request", "closed");
export const BASE = closed.pull_request.base.sha as string;
export const HEAD = closed.pull_request.head.sha as string;
export const MERGE = "7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b";
export const TOKEN_IN_MESSAGE = `ghp_${"Zz9Yy8Xx7".repeat(4)}`;

export const codertocat = { id: 21031067, login: "Codertocat", type: "User" };
export const bob = { id: 7123456, login: "bob", type: "User" };

export const POLICY = `version: 1
organization: { name: Acme }
system: { name: Hello World, description: The example application., boundaries: {} }
scope: { categories: [security] }
audit: { type: 1, as_of: "2026-01-01" }
owners: { security-lead: { title: Head of Security } }
change_management:
  branches: [master, main]
  required_approvals: 1
  ticket: { pattern: "[A-Z]+-[0-9]+" }
`;

export const contents = (text: string, path = "soc2.yml") => ({
  type: "file",
  encoding: "base64",
  size: text.length,
  name: path,
  path,
  content: base64(text),
  sha: "3d21ec53a331a6f037a91c368710b99387d012c1",
});

/** The merged pull_request.closed payload: bob merged #2 with a merge commit. */
export function mergedPayload(over: { baseRef?: string } = {}) {
  const payload = example("pull_request", "closed");
  Object.assign(payload.pull_request, {
    title: "PAY-12: Update the README",
    merged: true,
    merged_at: "2026-03-02T09:59:00Z",
    merge_commit_sha: MERGE,
    merged_by: { ...payload.sender, ...bob },
  });
  if (over.baseRef) payload.pull_request.base.ref = over.baseRef;
  return payload;
}

/** Every answer collectFacts, loadPolicy and the merge-method lookup need for the merge. */
export function mockMerge(
  scope: nock.Scope,
  options: {
    reviews?: unknown[];
    /** soc2.yml at the base commit; null: none (404); false: not read (a central policy). */
    policy?: string | null | false;
    baseRef?: string;
  } = {},
): nock.Scope {
  const baseRef = options.baseRef ?? "master";
  scope
    .get(`${REPO}/pulls/2/files`)
    .query(true)
    .reply(200, [
      { filename: "README.md", status: "modified", additions: 1, deletions: 1, changes: 2 },
    ]);
  if (options.policy === false) {
    // the test mocks the central policy itself
  } else if (options.policy === null)
    scope
      .get(`${REPO}/contents/soc2.yml`)
      .query({ ref: BASE })
      .reply(404, { message: "Not Found" });
  else
    scope
      .get(`${REPO}/contents/soc2.yml`)
      .query({ ref: BASE })
      .reply(200, contents(options.policy ?? POLICY));
  if (baseRef !== "master") return scope;
  return (
    scope
      .get(`${REPO}/pulls/2`)
      .reply(200, {
        number: 2,
        title: "PAY-12: Update the README",
        body: "Found in OPS-3.",
        user: codertocat,
        base: {
          ref: baseRef,
          sha: BASE,
          repo: { id: 186853002, full_name: "Codertocat/Hello-World" },
        },
        head: {
          ref: "changes",
          sha: HEAD,
          repo: { id: 186853002, full_name: "Codertocat/Hello-World" },
        },
        commits: 1,
        changed_files: 1,
        labels: [{ name: "docs" }],
        merged: true,
        merged_by: bob,
        merged_at: "2026-03-02T09:59:00Z",
        merge_commit_sha: MERGE,
      })
      .get(`${REPO}/pulls/2/commits`)
      .query(true)
      .reply(200, [
        {
          sha: HEAD,
          parents: [{ sha: BASE }],
          commit: {
            message: `Update the README\n\nleaked ${TOKEN_IN_MESSAGE}`,
            author: {
              name: "Codertocat",
              email: "21031067+Codertocat@users.noreply.github.com",
              date: "2026-03-01T08:00:00Z",
            },
            committer: {
              name: "Codertocat",
              email: "21031067+Codertocat@users.noreply.github.com",
              date: "2026-03-01T08:00:00Z",
            },
          },
          author: codertocat,
          committer: codertocat,
        },
      ])
      .get(`${REPO}/pulls/2/reviews`)
      .query(true)
      .reply(200, options.reviews ?? [])
      .get(`${REPO}/issues/2/timeline`)
      .query(true)
      .reply(200, [])
      // Who pushed the head: Codertocat, who opened the pull request (so bob may approve it).
      .get(`${REPO}/activity`)
      .query({ ref: "refs/heads/changes", per_page: "100" })
      .reply(200, [
        {
          id: 1296269,
          node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
          before: BASE,
          after: HEAD,
          ref: "refs/heads/changes",
          timestamp: "2026-03-01T08:00:00Z",
          activity_type: "push",
          actor: codertocat,
        },
      ])
      .get(`${REPO}/commits/${HEAD}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [{ name: "test", head_sha: HEAD, status: "completed", conclusion: "success" }],
      })
      .get(`${REPO}/commits/${HEAD}/status`)
      .query(true)
      .reply(200, { state: "success", statuses: [], sha: HEAD, total_count: 0 })
      .get(`${REPO}/commits/${MERGE}`)
      .reply(200, {
        sha: MERGE,
        parents: [{ sha: BASE }, { sha: HEAD }],
        commit: {
          message: "Merge pull request #2 from Codertocat/changes",
          author: { name: "bob", date: "2026-03-02T09:59:00Z" },
          committer: { name: "GitHub", date: "2026-03-02T09:59:00Z" },
        },
      })
  );
}

export const approval = {
  id: 80,
  user: bob,
  state: "APPROVED",
  commit_id: HEAD,
  submitted_at: "2026-03-02T09:00:00Z",
  body: "",
};
