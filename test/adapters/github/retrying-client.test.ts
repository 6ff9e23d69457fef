import { describe, expect, it } from "vitest";
import type { GitHubClient } from "../../../src/adapters/github/client.js";
import { retryingClient } from "../../../src/adapters/github/retrying-client.js";
import { TEST_NOW } from "../../helpers/clock.js";

/** An error shaped like Octokit's RequestError. */
function failure(status: number, headers: Record<string, string> = {}, message = "failed") {
  return Object.assign(new Error(message), { status, response: { headers } });
}

function failing(errors: Error[]): GitHubClient & { calls: number } {
  const client = {
    calls: 0,
    async request() {
      const error = errors[client.calls++];
      if (error) throw error;
      return { status: 200, data: "ok", headers: {} };
    },
    async paginate() {
      return [];
    },
  };
  return client;
}

describe("a client that retries reads", () => {
  const options = (slept: number[]) => ({
    sleep: async (ms: number) => void slept.push(ms),
    now: () => TEST_NOW,
    random: () => 0.5,
    baseDelayMs: 100,
    maxAttempts: 4,
  });

  it("waits exactly what a secondary rate limit asks, and backs off on server errors", async () => {
    const slept: number[] = [];
    const inner = failing([
      failure(403, { "retry-after": "2" }, "You have exceeded a secondary rate limit"),
      failure(502),
      failure(500),
    ]);
    const { data } = await retryingClient(inner, options(slept)).request("GET /x");
    expect(data).toBe("ok");
    expect(slept).toEqual([2000, 200, 400]);
  });

  it("fails at once on what another attempt cannot change, and when GitHub asks to wait too long", async () => {
    const slept: number[] = [];
    await expect(
      retryingClient(failing([failure(404)]), options(slept)).request("GET /x"),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      retryingClient(failing([failure(429, { "retry-after": "3600" })]), options(slept)).request(
        "GET /x",
      ),
    ).rejects.toMatchObject({ status: 429 });
    await expect(
      retryingClient(failing(Array(4).fill(failure(500))), options(slept)).request("GET /x"),
    ).rejects.toMatchObject({ status: 500 });
    expect(slept).toEqual([100, 200, 400]);
  });
});
