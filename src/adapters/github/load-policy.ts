import { controlOwnersOf } from "../../core/change-management/control-owners.js";
import type { ChangedFile } from "../../core/change-management/facts.js";
import {
  needsControlOwners,
  readChangePolicy,
  type ChangePolicy,
} from "../../core/change-management/policy.js";
import type { PolicySource } from "../../core/change-management/policy-source.js";
import { CONTROLS_DIR } from "../../core/layout.js";
import { readControl, readProgram, type Program } from "../../core/model.js";
import { loadSourceFile } from "../../core/source-file.js";
import type { GitHubClient } from "./client.js";
import { PolicyError, programFromText } from "./program-text.js";
import { readFileAt } from "./read-file.js";

export interface LoadedPolicy {
  program: Program;
  policy: ChangePolicy;
  /** owner/name:path@ref, for the summary and the evidence. */
  label: string;
}

export { PolicyError };

/**
 * Reads the change-management policy from the base commit (or a central compliance repository),
 * never from the pull request, so that a pull request cannot weaken the policy it is checked by.
 * Control owners come from the base versions of the control files the pull request touches.
 */
export async function loadPolicy(
  client: GitHubClient,
  source: PolicySource,
  baseSha: string,
  changed: readonly ChangedFile[],
  /** Reads a file at a commit; a caller that already has some files answers from them. */
  readAt: typeof readFileAt = readFileAt,
): Promise<LoadedPolicy> {
  const ref = source.ref ?? baseSha;
  const label = `${source.repository}:${source.path}@${ref.length === 40 ? ref.slice(0, 7) : ref}`;
  const text = await readAt(client, source.repository, source.path, ref);
  if (text === null) {
    throw new PolicyError(
      `no ${source.path} in ${label}: add one (\`soc2 init\` scaffolds it), or point policy-repository at your compliance repository`,
    );
  }
  const program = readProgram(programFromText(source.path, text, label));
  let policy = readChangePolicy(program.raw);
  if (needsControlOwners(policy) && source.ref === undefined) {
    policy = readChangePolicy(
      program.raw,
      await controlOwnersAtBase(client, source.repository, baseSha, changed, readAt),
    );
  }
  return { program, policy, label };
}

async function controlOwnersAtBase(
  client: GitHubClient,
  repository: string,
  baseSha: string,
  changed: readonly ChangedFile[],
  readAt: typeof readFileAt,
): Promise<Record<string, string>> {
  const paths = new Set<string>();
  for (const file of changed) {
    for (const path of [file.path, file.previous_path]) {
      if (path?.startsWith(`${CONTROLS_DIR}/`) && /\.ya?ml$/i.test(path)) paths.add(path);
    }
  }
  const controls = [];
  for (const path of [...paths].sort()) {
    const text = await readAt(client, repository, path, baseSha);
    if (text === null) continue; // a new control has no owner at the base yet
    const bytes = new TextEncoder().encode(text);
    const loaded = loadSourceFile({ path, size: bytes.length, bytes }, "control");
    if (loaded.file) controls.push(readControl(loaded.file));
  }
  return controlOwnersOf(controls);
}
