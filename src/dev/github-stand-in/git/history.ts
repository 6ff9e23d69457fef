import type { CommitObject, GitObjectStore } from "./store.js";

/** Distance (in parent steps, shortest) from `start` to every commit it reaches. */
export function distances(store: GitObjectStore, start: string): Map<string, number> {
  const out = new Map<string, number>([[start, 0]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const sha = queue[i] as string;
    for (const parent of store.commits.get(sha)?.parents ?? []) {
      if (out.has(parent) || !store.commits.has(parent)) continue;
      out.set(parent, (out.get(sha) ?? 0) + 1);
      queue.push(parent);
    }
  }
  return out;
}

/** Commits reachable from `start`, newest first (committer date, then children before parents). */
export function history(store: GitObjectStore, start: string): CommitObject[] {
  const dist = distances(store, start);
  const commits = [...dist.keys()].flatMap((sha) => store.commits.get(sha) ?? []);
  return commits.sort(
    (a, b) =>
      Date.parse(b.committer.date) - Date.parse(a.committer.date) ||
      (dist.get(a.sha) ?? 0) - (dist.get(b.sha) ?? 0),
  );
}

/** Whether a commit changed `path` (a file or a directory) relative to its first parent. */
export function touches(store: GitObjectStore, commit: CommitObject, path: string): boolean {
  const at = (tree: string | undefined) => (tree ? store.lookup(tree, path)?.sha : undefined);
  const parent = commit.parents[0] ? store.commits.get(commit.parents[0]) : undefined;
  return at(commit.tree) !== at(parent?.tree);
}

/** The nearest common ancestor of two commits, if their histories meet. */
export function mergeBase(store: GitObjectStore, a: string, b: string): string | undefined {
  const fromA = store.ancestors(a);
  const fromB = distances(store, b);
  return [...fromB.entries()].filter(([sha]) => fromA.has(sha)).sort((x, y) => x[1] - y[1])[0]?.[0];
}
