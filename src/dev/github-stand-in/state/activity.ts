import type { Account } from "./types.js";

/** GitHub's activity types (GET /repos/{owner}/{repo}/activity). */
export type ActivityType =
  "push" | "force_push" | "branch_creation" | "branch_deletion" | "pr_merge" | "merge_queue_merge";

/** One change to a ref and who made it, as the repository activity API reports it. */
export interface ActivityRecord {
  id: number;
  /** Full ref, refs/heads/<branch>. */
  ref: string;
  before: string;
  after: string;
  type: ActivityType;
  actor: Account;
  at: string;
}

/** The SHA GitHub reports before a branch exists and after it is deleted. */
export const ZERO_SHA = "0".repeat(40);
