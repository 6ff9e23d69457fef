import type { TreeEntry } from "./objects.js";
import type { GitObjectStore } from "./store.js";

/** One change to a tree: set `path` to an object, or delete it (`sha: null`). */
export interface TreeEdit {
  path: string;
  mode: string;
  type: TreeEntry["type"];
  sha: string | null;
}

// A directory being edited: untouched subtrees stay as entries, edited ones become Dirs.
interface Dir {
  entries: Map<string, TreeEntry | Dir>;
}

const isDir = (node: TreeEntry | Dir): node is Dir => "entries" in node;

function load(store: GitObjectStore, sha: string | undefined): Dir {
  const entries = new Map<string, TreeEntry | Dir>();
  for (const entry of sha ? (store.trees.get(sha) ?? []) : []) entries.set(entry.name, entry);
  return { entries };
}

function child(store: GitObjectStore, dir: Dir, name: string, create: boolean): Dir | undefined {
  const node = dir.entries.get(name);
  if (node && isDir(node)) return node;
  if (node?.type === "tree") {
    const loaded = load(store, node.sha);
    dir.entries.set(name, loaded);
    return loaded;
  }
  if (!create) return undefined;
  // A file in the way of a new directory is replaced, as git does when a path changes kind.
  const created: Dir = { entries: new Map() };
  dir.entries.set(name, created);
  return created;
}

function write(store: GitObjectStore, dir: Dir): string | undefined {
  const entries: TreeEntry[] = [];
  for (const [name, node] of dir.entries) {
    if (!isDir(node)) {
      entries.push(node);
      continue;
    }
    const sha = write(store, node);
    if (sha) entries.push({ name, mode: "40000", type: "tree", sha });
  }
  // Git does not store empty subtrees; the caller keeps an empty root.
  return entries.length === 0 ? undefined : store.writeTree(entries);
}

/** Applies edits on top of `baseTree` (or an empty tree) and returns the new root tree's sha. */
export function editTree(
  store: GitObjectStore,
  baseTree: string | undefined,
  edits: readonly TreeEdit[],
): string {
  const root = load(store, baseTree);
  for (const edit of edits) {
    const parts = edit.path.split("/").filter(Boolean);
    const name = parts.pop();
    if (!name) continue;
    let dir: Dir | undefined = root;
    for (const part of parts) {
      dir = child(store, dir, part, edit.sha !== null);
      if (!dir) break;
    }
    if (!dir) continue;
    if (edit.sha === null) dir.entries.delete(name);
    else dir.entries.set(name, { name, mode: edit.mode, type: edit.type, sha: edit.sha });
  }
  return write(store, root) ?? store.writeTree([]);
}

/**
 * Replays the file changes between trees `from` and `to` onto tree `onto` (how a merge, squash or
 * rebase lands a pull request's changes on a base branch that may have moved). Conflicts are not
 * detected: the pull request's side wins.
 */
export function carryChanges(
  store: GitObjectStore,
  from: string | undefined,
  to: string | undefined,
  onto: string | undefined,
): string {
  const before = store.files(from);
  const after = store.files(to);
  const edits: TreeEdit[] = [];
  for (const [path, sha] of after) {
    if (before.get(path) !== sha) edits.push({ path, mode: "100644", type: "blob", sha });
  }
  for (const path of before.keys()) {
    if (!after.has(path)) edits.push({ path, mode: "100644", type: "blob", sha: null });
  }
  return editTree(store, onto, edits);
}
