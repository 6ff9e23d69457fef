/**
 * The part of Octokit the adapters use: `request` and `paginate` with route strings. Both the
 * Action's client (@actions/github) and the App's (Probot) provide it, so one collector serves both.
 */
export interface GitHubClient {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
  paginate(route: string, parameters?: Record<string, unknown>): Promise<unknown[]>;
}

/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A GitHub API failure, with what was being done, for a one-line message to the user. */
export class GitHubApiError extends Error {
  override name = "GitHubApiError";
  constructor(
    readonly doing: string,
    readonly status: number | undefined,
    options: { cause: unknown },
  ) {
    super(
      `${doing} failed${status ? ` (HTTP ${status})` : ""}: ${describe(options.cause)}`,
      options,
    );
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? "";
}

/** Runs a request, turning a failure into a GitHubApiError that says what was being done. */
export async function attempt<T>(doing: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new GitHubApiError(doing, statusOf(error), { cause: error });
  }
}
