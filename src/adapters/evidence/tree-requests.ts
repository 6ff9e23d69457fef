/** An entry of `POST /repos/{owner}/{repo}/git/trees` carrying a file's text inline (no blob request). */
export interface InlineTreeEntry {
  path: string;
  mode: "100644";
  type: "blob";
  content: string;
}

/**
 * The largest tree request body the store sends by default. GitHub documents no size for a tree
 * request, but refuses large JSON bodies and answers slowly as they grow; it truncates a tree it
 * *reads* at 7 MB. Four MiB keeps each request well under both, and still holds hundreds of
 * records (a record is a few KB).
 */
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

// The request's own fields around the entries: owner, repo, base_tree (a SHA) and JSON punctuation.
const ENVELOPE_BYTES = 512;

const entryBytes = (entry: InlineTreeEntry) => Buffer.byteLength(JSON.stringify(entry), "utf8") + 1;

/**
 * Splits the entries of one commit's tree into tree requests of at most `maxBytes` each; the store
 * sends them one after the other, each based on the tree the one before made, so the commit still
 * gets one tree. A single file larger than the limit goes alone in its own request.
 */
export function splitTreeEntries(
  entries: readonly InlineTreeEntry[],
  maxBytes = DEFAULT_MAX_REQUEST_BYTES,
): InlineTreeEntry[][] {
  const parts: InlineTreeEntry[][] = [];
  let part: InlineTreeEntry[] = [];
  let size = ENVELOPE_BYTES;
  for (const entry of entries) {
    const bytes = entryBytes(entry);
    if (part.length > 0 && size + bytes > maxBytes) {
      parts.push(part);
      part = [];
      size = ENVELOPE_BYTES;
    }
    part.push(entry);
    size += bytes;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
