import type { DriftCheck } from "./drift.js";
import { isNotAvailable, type Part } from "./snapshot.js";

/** One requirement's result on one target, before the control and target are filled in. */
export type Check = Omit<DriftCheck, "control" | "declaration" | "target" | "record">;

export const verdict = (
  requirement: string,
  ok: boolean,
  expected: string,
  actual: string,
): Check =>
  ok
    ? { requirement, result: "pass", reason: `${expected}: ${actual}` }
    : { requirement, result: "fail", reason: `${expected}; the snapshot shows ${actual}` };

export const unavailable = (requirement: string, why: string): Check => ({
  requirement,
  result: "unknown",
  reason: `not available: ${why}`,
});

/** A requirement on a part of the snapshot: unknown when that part was not available. */
export function onPart<T>(requirement: string, part: Part<T>, check: (value: T) => Check): Check {
  return isNotAvailable(part) ? unavailable(requirement, part.not_available) : check(part);
}

export const logins = (accounts: ReadonlyArray<{ login: string }>) =>
  accounts.length === 0 ? "none" : accounts.map((a) => a.login).join(", ");
