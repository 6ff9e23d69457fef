import { readFileAt } from "./read-file.js";

/** Files a GraphQL query read at one commit of a repository, beside what it was asked for. */
export interface PrefetchedFiles {
  repository: string;
  /** The commit (or revision) they were read at. */
  sha: string;
  /** Each path's text; null: no such file there. */
  texts: Map<string, string | null>;
}

/**
 * readFileAt, answered from prefetched files when it is the same file at the same commit: the
 * policy and CODEOWNERS then cost no request of their own. Anything else is read as before.
 */
export function prefetchedReader(prefetched: PrefetchedFiles | undefined): typeof readFileAt {
  return async (client, repository, path, ref) => {
    if (prefetched && repository === prefetched.repository && ref === prefetched.sha) {
      const text = prefetched.texts.get(path);
      if (text !== undefined) return text;
    }
    return readFileAt(client, repository, path, ref);
  };
}

/**
 * What a prefetched blob says about its file: its text, null when there is no file, or undefined
 * when GraphQL's text is not the file (a binary or truncated blob): REST then reads it as before.
 */
export function blobText(blob: unknown): string | null | undefined {
  if (!blob || typeof blob !== "object") return null;
  const b = blob as { text?: unknown; isBinary?: unknown; isTruncated?: unknown };
  if (b.isBinary === true || b.isTruncated === true || typeof b.text !== "string") return undefined;
  return b.text;
}

/** The `f0`, `f1`, … blobs of an answer to a query built with fileFields(). */
export function prefetchedFrom(
  answer: Record<string, unknown>,
  at: { repository: string; sha: string; paths: readonly string[] },
): PrefetchedFiles {
  const texts = new Map<string, string | null>();
  at.paths.forEach((path, i) => {
    const text = blobText(answer[`f${i}`]);
    if (text !== undefined) texts.set(path, text);
  });
  return { repository: at.repository, sha: at.sha, texts };
}
