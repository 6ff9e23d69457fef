import { checkPlaceholders } from "../checks/placeholders.js";
import type { Repository } from "../model.js";

/**
 * Why a repository is still a draft: a scaffold with TODO placeholders must never be published as
 * a finished program, so every report and the portal carry a banner while any placeholder remains.
 */
export interface DraftState {
  /** TODO placeholders left (what soc2 validate reports as placeholder-todo). */
  placeholders: number;
  /** Controls whose status is planned or in progress. */
  controlsNotImplemented: number;
  /** Policies still marked draft. */
  policiesNotApproved: number;
}

/** The draft state, or undefined once no placeholder remains. */
export function draftState(repo: Repository): DraftState | undefined {
  const placeholders = checkPlaceholders(repo).length;
  if (placeholders === 0) return undefined;
  return {
    placeholders,
    controlsNotImplemented: repo.controls.filter((c) => c.status !== "implemented").length,
    policiesNotApproved: repo.policies.filter((p) => p.status === "draft").length,
  };
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The banner's text: DRAFT and the reasons, in one sentence. */
export function draftBanner(state: DraftState): string {
  const reasons = [
    count(state.placeholders, "TODO placeholder left", "TODO placeholders left"),
    count(state.controlsNotImplemented, "control not implemented", "controls not implemented"),
    count(state.policiesNotApproved, "policy not approved", "policies not approved"),
  ];
  return (
    `DRAFT: ${reasons.join(", ")}. ` +
    "This is a scaffold still being filled in, not a description of controls in place: run soc2 validate to find each placeholder."
  );
}
