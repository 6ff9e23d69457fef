import { attempt, statusOf, type GitHubClient } from "./client.js";

/** One entry of a folder, as the contents API lists it. */
export interface FolderEntry {
  name: string;
  path: string;
  type: "file" | "dir" | "other";
}

/**
 * A folder's entries at a ref through the contents API (not recursive), or null when there is no
 * such folder there (a file of that name counts as none).
 */
export async function listFolderAt(
  client: GitHubClient,
  repository: string,
  path: string,
  ref: string,
): Promise<FolderEntry[] | null> {
  const [owner, repo] = repository.split("/");
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner,
      repo,
      path,
      ref,
    });
    if (!Array.isArray(data)) return null;
    return (data as Array<{ name?: unknown; path?: unknown; type?: unknown }>).flatMap((e) =>
      typeof e.name === "string" && typeof e.path === "string"
        ? [
            {
              name: e.name,
              path: e.path,
              type: e.type === "file" || e.type === "dir" ? e.type : ("other" as const),
            },
          ]
        : [],
    );
  } catch (error) {
    if (statusOf(error) === 404) return null;
    return attempt(`listing ${path} at ${ref.slice(0, 12)} in ${repository}`, () =>
      Promise.reject(error),
    );
  }
}
