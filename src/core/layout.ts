import type { FileFormat } from "./schemas.js";

/** The conventional place of each kind of file in a compliance repository. */
export const PROGRAM_FILE = "soc2.yml";
export const CONTROLS_DIR = "controls";
export const POLICIES_DIR = "policies";
/** Access reviews (soc2 access-review open), one file a period. */
export const ACCESS_REVIEWS_DIR = "access-reviews";
/** Retrospective reviews of exceptions: exceptions/<change record id>.yml. */
export const EXCEPTIONS_DIR = "exceptions";
/** Audit requests: audit/<period>/requests/<id>.yaml (see src/core/requests). */
export const AUDIT_DIR = "audit";
const REQUEST_FILE = /^audit\/[^/]+\/requests\/[^/]+\.ya?ml$/i;

const YAML_FILE = /\.ya?ml$/i;

/** Which format a repository path holds, or undefined for files the validator does not read. */
export function classifyPath(path: string, evidencePath: string): FileFormat | undefined {
  if (path === PROGRAM_FILE) return "program";
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (path.startsWith(`${CONTROLS_DIR}/`) && YAML_FILE.test(name)) return "control";
  if (path.startsWith(`${POLICIES_DIR}/`) && /\.md$/i.test(name) && !/^readme\.md$/i.test(name))
    return "policy";
  if (path.startsWith(`${evidencePath}/`) && YAML_FILE.test(name)) return "evidence";
  if (path === `${ACCESS_REVIEWS_DIR}/${name}` && YAML_FILE.test(name)) return "access-review";
  if (path.startsWith(`${EXCEPTIONS_DIR}/`) && YAML_FILE.test(name)) return "exception-review";
  if (REQUEST_FILE.test(path)) return "request";
  return undefined;
}

/** Glob patterns (for an adapter) that find every file classifyPath accepts. */
export function repositoryGlobs(evidencePath: string): string[] {
  return [
    PROGRAM_FILE,
    `${CONTROLS_DIR}/**/*.{yml,yaml}`,
    `${POLICIES_DIR}/**/*.md`,
    `${evidencePath}/**/*.{yml,yaml}`,
    `${ACCESS_REVIEWS_DIR}/*.{yml,yaml}`,
    `${EXCEPTIONS_DIR}/**/*.{yml,yaml}`,
    `${AUDIT_DIR}/*/requests/*.{yml,yaml}`,
  ];
}
