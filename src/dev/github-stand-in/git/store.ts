import {
  encodeCommit,
  encodeTree,
  hashObject,
  sortTreeEntries,
  type CommitContent,
  type TreeEntry,
} from "./objects.js";

/** What GitHub reports about a commit's signature. */
export interface Verification {
  verified: boolean;
  reason: string;
  signature: string | null;
  payload: string | null;
  verified_at: string | null;
}

/** A stored commit: its git content plus the GitHub accounts it is attributed to (null: none). */
export interface CommitObject extends CommitContent {
  sha: string;
  authorId: number | null;
  committerId: number | null;
  verification: Verification;
}

/** A file or subtree found at a path, with its full path. */
export interface PathEntry {
  path: string;
  mode: string;
  type: TreeEntry["type"];
  sha: string;
}

export const UNSIGNED: Verification = {
  verified: false,
  reason: "unsigned",
  signature: null,
  payload: null,
  verified_at: null,
};

/** The signature GitHub reports on commits it signs (web merges, App commits). */
export const verifiedByGitHub = (at: string): Verification => ({
  verified: true,
  reason: "valid",
  signature: "-----BEGIN PGP SIGNATURE-----\n\nstand-in signature\n-----END PGP SIGNATURE-----\n",
  payload: null,
  verified_at: at,
});

/** The objects and refs of one repository, hashed exactly like git. */
export class GitObjectStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, CommitObject>();
  /** Full ref name ("refs/heads/main") → commit sha. */
  readonly refs = new Map<string, string>();

  writeBlob(content: Buffer): string {
    const sha = hashObject("blob", content);
    this.blobs.set(sha, content);
    return sha;
  }

  writeTree(entries: readonly TreeEntry[]): string {
    const sorted = sortTreeEntries(entries);
    const sha = hashObject("tree", encodeTree(sorted));
    this.trees.set(sha, sorted);
    return sha;
  }

  /** Stores a commit. `sha` overrides the computed id (builder commits with chosen ids). */
  writeCommit(
    content: CommitContent,
    extra: Partial<Pick<CommitObject, "authorId" | "committerId" | "verification" | "sha">> = {},
  ): CommitObject {
    const sha = extra.sha ?? hashObject("commit", encodeCommit(content));
    const commit: CommitObject = {
      ...content,
      parents: [...content.parents],
      sha,
      authorId: extra.authorId ?? null,
      committerId: extra.committerId ?? null,
      verification: extra.verification ?? UNSIGNED,
    };
    this.commits.set(sha, commit);
    return commit;
  }

  /** The entry at `path` inside tree `treeSha` ("" is the tree itself). */
  lookup(treeSha: string, path: string): PathEntry | undefined {
    const parts = path.split("/").filter(Boolean);
    let current: PathEntry = { path: "", mode: "040000", type: "tree", sha: treeSha };
    for (const [i, name] of parts.entries()) {
      if (current.type !== "tree") return undefined;
      const entry = this.trees.get(current.sha)?.find((e) => e.name === name);
      if (!entry) return undefined;
      current = { path: parts.slice(0, i + 1).join("/"), ...withoutName(entry) };
    }
    return current;
  }

  /** Every entry below a tree, depth first, subtrees included, paths relative to the tree. */
  walk(treeSha: string, prefix = ""): PathEntry[] {
    const out: PathEntry[] = [];
    for (const entry of this.trees.get(treeSha) ?? []) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      out.push({ path, ...withoutName(entry) });
      if (entry.type === "tree") out.push(...this.walk(entry.sha, path));
    }
    return out;
  }

  /** Files (blobs) below a tree: path → blob sha. */
  files(treeSha: string | undefined): Map<string, string> {
    const out = new Map<string, string>();
    if (!treeSha) return out;
    for (const e of this.walk(treeSha)) if (e.type === "blob") out.set(e.path, e.sha);
    return out;
  }

  /** All commits reachable from `sha`, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const parent of this.commits.get(next)?.parents ?? []) stack.push(parent);
    }
    return seen;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.ancestors(descendant).has(ancestor);
  }

  /**
   * The commit a ref-ish names: a branch ("main", "heads/main", "refs/heads/main"), a tag, a full
   * sha or an unambiguous abbreviation of at least 7 hex digits.
   */
  resolve(ref: string): string | undefined {
    for (const name of [ref, `refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      const sha = this.refs.get(name);
      if (sha) return sha;
    }
    if (this.commits.has(ref)) return ref;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const matches = [...this.commits.keys()].filter((sha) => sha.startsWith(ref));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  /** True when the repository has no refs at all (GitHub's "Git Repository is empty."). */
  isEmpty(): boolean {
    return this.refs.size === 0;
  }
}

function withoutName(entry: TreeEntry): Omit<PathEntry, "path"> {
  return { mode: entry.type === "tree" ? "040000" : entry.mode, type: entry.type, sha: entry.sha };
}
