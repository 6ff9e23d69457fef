import picomatch from "picomatch";

/**
 * Matchers for the glob patterns of soc2.yml (branches, path_rules.paths): `*` stays within one
 * path segment, `**` crosses segments, and dot files match like any other (a rule on `**` must
 * not miss `.github/workflows/`).
 */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  return picomatch([...patterns], { dot: true });
}
