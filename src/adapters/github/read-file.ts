import { attempt, statusOf, type GitHubClient } from "./client.js";

/** A file's text at a ref, or null when it does not exist there. Never reads the pull request's code to run it. */
export async function readFileAt(
  client: GitHubClient,
  repository: string,
  path: string,
  ref: string,
): Promise<string | null> {
  const [owner, repo] = repository.split("/");
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner,
      repo,
      path,
      ref,
    });
    const data = response.data as { type?: string; encoding?: string; content?: string };
    if (data.type !== "file" || typeof data.content !== "string") return null;
    return Buffer.from(
      data.content,
      (data.encoding as BufferEncoding | undefined) ?? "base64",
    ).toString("utf8");
  } catch (error) {
    if (statusOf(error) === 404) return null;
    return attempt(`reading ${path} at ${ref.slice(0, 12)} in ${repository}`, () =>
      Promise.reject(error),
    );
  }
}
