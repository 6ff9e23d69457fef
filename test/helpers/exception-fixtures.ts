/** Fixtures for exceptions and their retrospective review files (exceptions/<record>.yml). */

type Tree = Record<string, string>;

/** A change record merged at `mergedAt`, with an exception of `type` when given. */
export function changeRecord(
  id: string,
  fields: { number?: number; mergedAt: string; exception?: string },
): Tree {
  const pr = fields.number !== undefined;
  return {
    [`evidence/${id}.yml`]: `version: 1
kind: change-record
id: ${id}
controls: [GOV-01]
recorded_at: "${fields.mergedAt}"
source: { type: github-app, name: App }
digest: sha256:${"0".repeat(64)}
content:
  repository: { id: 1, full_name: acme/web }
  change:
    type: ${pr ? "pull-request" : "direct-push"}
${pr ? `    number: ${fields.number}\n` : ""}    title: A change
    author: { id: 7, login: alice, type: User }
    base_ref: main
    merged_sha: ${"a".repeat(40)}
    merged_at: "${fields.mergedAt}"
${fields.exception ? `  exception:\n    type: ${fields.exception}\n    reason: merged without a review\n` : ""}`,
  };
}

/** exceptions/<record>.yml, reviewed on `on`. */
export function reviewFile(record: string, on: string, extra = "", path?: string): Tree {
  return {
    [path ?? `exceptions/${record}.yml`]: `version: 1
record: ${record}
reviewed_on: "${on}"
reviewed_by:
  - { name: Sam Okafor, role: Head of Security, github: sam }
management_response: The hotfix stopped an outage; reviewed after the merge and found appropriate.
${extra}`,
  };
}
