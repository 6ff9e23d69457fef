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

/**
 * Files at several commits of one repository, read in one query as the aliases f0, f1, … (see
 * fileFields): each commit's paths in order. `variables` are the aliases' "<sha>:<path>"
 * expressions; `read` turns the answer's repository into the files of each commit.
 */
export function filesAtCommits(
  repository: string,
  shas: readonly string[],
  paths: readonly string[],
): {
  count: number;
  variables: Record<string, string>;
  read: (answer: Record<string, unknown>) => Map<string, PrefetchedFiles>;
} {
  const commits = [...new Set(shas)];
  const unique = [...new Set(paths)];
  const pairs = commits.flatMap((sha) => unique.map((path) => ({ sha, path })));
  return {
    count: pairs.length,
    variables: Object.fromEntries(pairs.map((p, i) => [`f${i}`, `${p.sha}:${p.path}`])),
    read: (answer) =>
      new Map(
        commits.map((sha, c) => {
          const blobs: Record<string, unknown> = {};
          unique.forEach((_, j) => (blobs[`f${j}`] = answer[`f${c * unique.length + j}`]));
          return [sha, prefetchedFrom(blobs, { repository, sha, paths: unique })];
        }),
      ),
  };
}
