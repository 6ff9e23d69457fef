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

/** The `f0`, `f1`, … blobs of an answer to a query built with fileFields(). */
export function prefetchedFrom(
  answer: Record<string, unknown>,
  at: { repository: string; sha: string; paths: readonly string[] },
): PrefetchedFiles {
  const texts = new Map<string, string | null>();
  at.paths.forEach((path, i) => {
    const text = (answer[`f${i}`] as { text?: unknown } | null | undefined)?.text;
    texts.set(path, typeof text === "string" ? text : null);
  });
  return { repository: at.repository, sha: at.sha, texts };
}
