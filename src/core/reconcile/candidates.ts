import type { Account } from "../change-management/facts.js";
import { accountOf, isoTime, list, obj, shaOf, str } from "../evidence/records/payload.js";
import { beforeWindow, inWindow, type ReconcileWindow } from "./window.js";

/** A merged pull request GitHub lists: enough to know its record id and to read it whole. */
export interface MergedPull {
  number: number;
  mergedAt: string;
  baseRef: string;
  /** The base commit, where the listing says (GraphQL's does): the policy is read there. */
  baseSha?: string;
  /** The merge commit and its parents, where the listing says: it names the push the merge made. */
  mergeCommit?: { sha: string; parents: string[] };
}

/** A change to a branch that GitHub's repository activity lists, with who made it. */
export interface BranchActivity {
  /** GitHub's activity id: stable, so it orders and names the change. */
  id: number;
  branch: string;
  before: string;
  after: string;
  type: "push" | "force_push" | "branch_deletion";
  actor: Account | undefined;
  timestamp: string;
}

/** A page of a newest-first listing, cut to the window; `done` once it reached older items. */
export interface WindowPage<T> {
  items: T[];
  done: boolean;
}

/**
 * The merged pull requests of one page of GET /repos/{o}/{r}/pulls?state=closed&sort=updated
 * &direction=desc, merged within the window. The listing is by last update, which is at or after
 * the merge: once a pull request was last updated before the window, so were all later ones, and
 * none of them can have merged in it.
 */
export function mergedPullsOfPage(page: unknown, window: ReconcileWindow): WindowPage<MergedPull> {
  const items: MergedPull[] = [];
  let done = false;
  for (const raw of list(page).map(obj)) {
    const updatedAt = isoTime(raw.updated_at);
    if (updatedAt && beforeWindow(updatedAt, window)) done = true;
    const mergedAt = isoTime(raw.merged_at);
    if (typeof raw.number !== "number" || !mergedAt || !inWindow(mergedAt, window)) continue;
    items.push({ number: raw.number, mergedAt, baseRef: str(obj(raw.base).ref) });
  }
  return { items, done };
}

const ZERO_SHA = "0".repeat(40);

// Pull-request merges are recorded from the pull requests themselves; a branch's creation brings
// nothing the push check would record (a push that creates a branch lists no commit before it).
const RECONCILED = new Set(["push", "force_push", "branch_deletion"]);

/** The pushes, force pushes and branch deletions of one page of GET /repos/{o}/{r}/activity (newest first). */
export function branchActivityOfPage(
  page: unknown,
  window: ReconcileWindow,
): WindowPage<BranchActivity> {
  const items: BranchActivity[] = [];
  let done = false;
  for (const raw of list(page).map(obj)) {
    const timestamp = isoTime(raw.timestamp);
    if (!timestamp) continue;
    if (beforeWindow(timestamp, window)) done = true;
    const ref = str(raw.ref);
    const type = str(raw.activity_type);
    const before = shaOf(raw.before);
    // A deleted branch points nowhere: GitHub's all-zero SHA.
    const after = type === "branch_deletion" ? ZERO_SHA : shaOf(raw.after);
    if (
      !inWindow(timestamp, window) ||
      !RECONCILED.has(type) ||
      !ref.startsWith("refs/heads/") ||
      typeof raw.id !== "number" ||
      !before ||
      !after
    )
      continue;
    items.push({
      id: raw.id,
      branch: ref.slice("refs/heads/".length),
      before,
      after,
      type: type as BranchActivity["type"],
      actor: accountOf(raw.actor),
      timestamp,
    });
  }
  return { items, done };
}
