import { createHash } from "node:crypto";

/** The kinds of git object the stand-in stores. */
export type ObjectType = "blob" | "tree" | "commit";

/** One entry of a tree object, as git stores it (mode without the API's leading zero for trees). */
export interface TreeEntry {
  name: string;
  mode: string;
  type: ObjectType;
  sha: string;
}

/** An author or committer line of a commit. `date` is an ISO 8601 timestamp. */
export interface GitSignature {
  name: string;
  email: string;
  date: string;
}

/** A commit's content, everything git hashes. */
export interface CommitContent {
  tree: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
}

/** The object id git gives `content` of `type`: sha1("<type> <length>\0<content>"). */
export function hashObject(type: ObjectType, content: Buffer): string {
  return createHash("sha1").update(`${type} ${content.length}\0`).update(content).digest("hex");
}

// Git sorts tree entries by name, comparing a subtree's name as if it ended with "/".
function sortKey(entry: TreeEntry): Buffer {
  return Buffer.from(entry.type === "tree" ? `${entry.name}/` : entry.name, "utf8");
}

/** Tree entries in the order git writes them. */
export function sortTreeEntries(entries: readonly TreeEntry[]): TreeEntry[] {
  return [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
}

/** The raw tree object: "<mode> <name>\0<20-byte sha>" per entry, in git order. */
export function encodeTree(entries: readonly TreeEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of sortTreeEntries(entries)) {
    const mode = entry.mode.replace(/^0+/, "");
    parts.push(Buffer.from(`${mode} ${entry.name}\0`, "utf8"), Buffer.from(entry.sha, "hex"));
  }
  return Buffer.concat(parts);
}

// "2026-01-05T09:00:00+05:30" → seconds since the epoch and "+0530", as git writes them.
function gitDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${iso}`);
  const zone = /([+-])(\d\d):?(\d\d)$/.exec(iso);
  const offset = zone ? `${zone[1]}${zone[2]}${zone[3]}` : "+0000";
  return `${Math.floor(ms / 1000)} ${offset}`;
}

/** The raw commit object git would write for `commit` (unsigned). */
export function encodeCommit(commit: CommitContent): Buffer {
  const lines = [`tree ${commit.tree}`];
  for (const parent of commit.parents) lines.push(`parent ${parent}`);
  const who = (role: string, s: GitSignature) =>
    `${role} ${s.name} <${s.email}> ${gitDate(s.date)}`;
  lines.push(who("author", commit.author), who("committer", commit.committer));
  return Buffer.from(`${lines.join("\n")}\n\n${commit.message}`, "utf8");
}

/** An ISO timestamp without milliseconds, the way the GitHub API prints dates. */
export function isoSeconds(date: Date | string | number): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
}
