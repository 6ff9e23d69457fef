import type { Account } from "../change-management/facts.js";
import { list, obj, str } from "../evidence/records/payload.js";
import type { BranchActivity } from "./candidates.js";

/** The repository as GET /repos/{o}/{r} answers it: what a push event names. */
export interface RepositoryInfo {
  id: number;
  full_name: string;
  default_branch: string;
}

/**
 * The push event GitHub would have delivered for an activity, rebuilt from the activity (ref,
 * before, after, who pushed, when, forced or deleting) and the compare API's answer for
 * before...after. The compare lists files for the whole push, not per commit: they stand on the
 * push's last commit, which is all the evidence-repository check (only files under the evidence
 * folder added or changed) needs.
 */
export function pushEventOf(
  activity: BranchActivity,
  repository: RepositoryInfo,
  compare: unknown,
): {
  ref: string;
  before: string;
  after: string;
  forced: boolean;
  deleted: boolean;
  created: false;
  commits: { id: string; added: string[]; modified: string[]; removed: string[] }[];
  repository: RepositoryInfo & { pushed_at: string };
  sender?: Account;
  pusher: { name: string };
} {
  const files = list(obj(compare).files).map(obj);
  const named = (...statuses: string[]) =>
    files.filter((f) => statuses.includes(str(f.status))).map((f) => str(f.filename));
  const shas = list(obj(compare).commits)
    .map((c) => str(obj(c).sha))
    .filter(Boolean);
  const commits = shas.map((id, i) =>
    i === shas.length - 1
      ? {
          id,
          added: named("added", "copied"),
          modified: named("modified", "renamed", "changed"),
          removed: [
            ...named("removed"),
            // A rename removes its old name.
            ...files
              .filter((f) => str(f.status) === "renamed")
              .map((f) => str(f.previous_filename)),
          ],
        }
      : { id, added: [], modified: [], removed: [] },
  );
  return {
    ref: `refs/heads/${activity.branch}`,
    before: activity.before,
    after: activity.after,
    forced: activity.type === "force_push",
    deleted: activity.type === "branch_deletion",
    created: false,
    commits,
    repository: { ...repository, pushed_at: activity.timestamp },
    ...(activity.actor ? { sender: activity.actor } : {}),
    pusher: { name: activity.actor?.login ?? "" },
  };
}
