import { attempt, statusOf, type GitHubClient } from "./client.js";
import { nextPageParameter } from "./next-link.js";

/**
 * One repository's activity (GET /repos/{o}/{r}/activity, 100 a page, newest first), read a page
 * at a time as far as a reader needs and kept, so that several readers of one run (the
 * reconciler's listing of pushes, the pushers of merged heads) read each page once.
 */
export class RepositoryActivity {
  /** The pages read so far, in order. */
  private readonly pages: unknown[][] = [];
  private cursor: string | undefined;
  private done = false;
  /** Set when GitHub refused the activity (403, 404): there is no more to read. */
  refusal: unknown;

  constructor(
    private readonly client: GitHubClient,
    readonly repository: string,
  ) {}

  /** Page `index` (from 0), reading on as needed; undefined past the last one or once refused. */
  async page(index: number): Promise<unknown[] | undefined> {
    while (this.pages.length <= index && !this.done) await this.readNext();
    return this.pages[index];
  }

  private async readNext(): Promise<void> {
    const [owner, repo] = this.repository.split("/");
    let response;
    try {
      response = await this.client.request("GET /repos/{owner}/{repo}/activity", {
        owner,
        repo,
        direction: "desc",
        per_page: 100,
        ...(this.cursor ? { after: this.cursor } : {}),
      });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 403 && status !== 404)
        return attempt(`reading the activity of ${this.repository}`, () => Promise.reject(error));
      this.refusal = error;
      this.done = true;
      return;
    }
    this.pages.push(Array.isArray(response.data) ? response.data : []);
    this.cursor = nextPageParameter(response.headers.link, "after");
    this.done = this.cursor === undefined;
  }
}

/** Each repository's activity, one RepositoryActivity per repository for the reader's lifetime. */
export function activityReader(client: GitHubClient): (repository: string) => RepositoryActivity {
  const known = new Map<string, RepositoryActivity>();
  return (repository) => {
    let activity = known.get(repository);
    if (!activity) known.set(repository, (activity = new RepositoryActivity(client, repository)));
    return activity;
  };
}
