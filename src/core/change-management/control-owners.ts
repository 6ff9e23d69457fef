import type { Control } from "../model.js";

/**
 * Control file path → owner role, for approvers.control_owners. Built from the repository the
 * policy comes from (the base branch), so a pull request cannot name a new owner for a control
 * it changes and then approve as that owner.
 */
export function controlOwnersOf(controls: readonly Control[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const control of controls) if (control.owner) out[control.file.path] = control.owner;
  return out;
}
