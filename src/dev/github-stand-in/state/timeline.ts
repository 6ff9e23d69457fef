import type { Account } from "./types.js";

/** An issue event of a pull request's timeline, kept in the order it happened. */
export type TimelineRecord =
  | { event: "committed"; sha: string }
  | { event: "reviewed"; reviewId: number }
  | {
      event: "review_dismissed";
      id: number;
      actor: Account;
      at: string;
      reviewId: number;
      stateBefore: string;
      message: string | null;
      commitId: string | null;
    }
  | {
      event: "labeled" | "unlabeled";
      id: number;
      actor: Account;
      at: string;
      label: { name: string; color: string };
    }
  | {
      event:
        | "head_ref_force_pushed"
        | "base_ref_changed"
        | "ready_for_review"
        | "merged"
        | "closed"
        | "reopened";
      id: number;
      actor: Account;
      at: string;
      commitId: string | null;
      /** Extra fields GitHub's REST shape lacks but tests may want (e.g. before/after SHAs). */
      details?: Record<string, unknown>;
    }
  | { event: "raw"; payload: Record<string, unknown> };
