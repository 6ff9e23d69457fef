/** Fixtures for exceptions and their retrospective review files (exceptions/<record>.yml). */

type Tree = Record<string, string>;

/**
 * A change record merged at `mergedAt` (a pull request when it has a number, else a direct push),
 * with an exception of that type when given. Its digest is a placeholder: tests that read it check
 * readiness and reviews, not integrity.
 */
export function changeRecord(
  id: string,
  fields: {
    number?: number;
    mergedAt: string;
    exception?: string;
    due?: string;
    authorId?: number;
  },
): Tree {
  const pr = fields.number !== undefined;
  return {
    [`evidence/${id}.yml`]: `version: 1
kind: change-record
id: ${id}
controls: [CHG-01]
recorded_at: "${fields.mergedAt}"
source: { type: github-app, name: App }
digest: sha256:${"0".repeat(64)}
content:
  repository: { id: 1, full_name: acme/web }
  change:
    type: ${pr ? "pull-request" : "direct-push"}
${pr ? `    number: ${fields.number}\n` : ""}    title: A change
    author: { id: ${fields.authorId ?? 7}, login: alice, type: User }
    base_ref: main
    merged_sha: ${"a".repeat(40)}
    merged_at: "${fields.mergedAt}"
${
  fields.exception
    ? `  exception:\n    type: ${fields.exception}\n    reason: it skipped the review\n${fields.due ? `    retrospective_review_due: "${fields.due}"\n` : ""}`
    : ""
}`,
  };
}

/** Files (path → text) as the validator reads them. */
export function sourcesOf(tree: Tree): Array<{ path: string; size: number; bytes: Uint8Array }> {
  return Object.entries(tree).map(([path, text]) => {
    const bytes = new TextEncoder().encode(text);
    return { path, size: bytes.length, bytes };
  });
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
