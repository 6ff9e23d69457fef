/**
 * Limits that keep hostile or accidental input from exhausting memory or time. Each is generous
 * for real files: the largest real control or policy is a few kilobytes, and a change record of a
 * pull request with hundreds of commits and reviews stays well under a megabyte.
 */
export const LIMITS = {
  /** soc2.yml, controls and policies. */
  maxProgramFileBytes: 1024 * 1024,
  /** Evidence records carry pull-request facts, so they may be larger. */
  maxEvidenceFileBytes: 8 * 1024 * 1024,
  /** YAML aliases expanded per file; a billion-laughs document needs far more. */
  maxAliasCount: 100,
  /** Nesting depth of mappings and lists. */
  maxDepth: 64,
} as const;
