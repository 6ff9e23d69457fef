/** Where the change-management policy (a soc2.yml) is read from. */
export interface PolicySource {
  repository: string;
  path: string;
  /** A ref to read at; undefined means the base commit of the pull request (same repository only). */
  ref?: string;
}

const SOURCE = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(?::([^@]+))?(?:@(.+))?$/;

/**
 * Parses `owner/name[:path][@ref]` (a central compliance repository) or, when empty, the
 * repository's own soc2.yml at the base commit: a pull request can never weaken its own policy.
 */
export function parsePolicySource(
  value: string,
  ownRepository: string,
  defaultPath: string,
): PolicySource | { problem: string } {
  const trimmed = value.trim();
  if (trimmed === "") return { repository: ownRepository, path: defaultPath };
  const m = SOURCE.exec(trimmed);
  if (!m)
    return {
      problem: `policy-repository "${value}" is not owner/name[:path][@ref], e.g. acme/compliance:soc2.yml@main`,
    };
  const path = (m[2] ?? defaultPath).replace(/^\/+/, "");
  return { repository: m[1]!, path, ...(m[3] ? { ref: m[3] } : {}) };
}
