import { afterEach, describe, expect, test } from "vitest";
import { signature } from "../../src/dev/demo/deliver.js";
import { startGitHubStandIn, type GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { createOpenApiChecker } from "./github-openapi.js";
import { receiver } from "./webhook-receiver.js";
import { client } from "./github-scenario.js";

// The stand-in as the App's webhook sender: what it sends, what it remembers of each attempt, and
// the two deliveries endpoints (list, redeliver) that the App's redelivery scan uses.

const JWT = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closing.splice(0)) await c.close();
});

async function standIn(): Promise<{
  gh: GitHubStandIn;
  checker: ReturnType<typeof createOpenApiChecker>;
}> {
  const checker = createOpenApiChecker();
  const gh = await startGitHubStandIn({
    onRequest: checker.onRequest,
    onResponse: checker.onResponse,
  });
  closing.push(gh);
  return { gh, checker };
}

describe("the App's webhook on the stand-in", () => {
  test("signs each delivery and remembers what the App answered", async () => {
    const { gh } = await standIn();
    let answer = 503;
    const app = await receiver(() => answer);
    closing.push(app);
    gh.state.hooks.configure({ url: app.url, secret: "s3cret" });
    const failed = await gh.state.hooks.send("pull_request", {
      action: "closed",
      installation: { id: 42 },
      repository: { id: 7 },
    });
    answer = 202;
    const ok = await gh.state.hooks.send("push", { ref: "refs/heads/main" });
    expect(failed).toMatchObject({ statusCode: 503, status: "Invalid HTTP Response: 503" });
    expect(failed).toMatchObject({ action: "closed", installationId: 42, repositoryId: 7 });
    expect(ok).toMatchObject({ statusCode: 202, status: "OK", action: null, redelivery: false });
    const first = app.received[0]!;
    expect(first.headers["x-github-event"]).toBe("pull_request");
    expect(first.headers["x-github-delivery"]).toBe(failed.guid);
    expect(first.headers["x-hub-signature-256"]).toBe(signature("s3cret", first.body));
  });

  test("records status code 0 when nothing answers", async () => {
    const { gh } = await standIn();
    gh.state.hooks.configure({ url: "http://127.0.0.1:9/hook", secret: "s" });
    expect(await gh.state.hooks.send("push", {})).toMatchObject({
      statusCode: 0,
      status: "failed to connect to host",
    });
  });

  test("lists attempts newest first, paged by cursor, and filters by outcome", async () => {
    const { gh, checker } = await standIn();
    let n = 0;
    const app = await receiver(() => (n++ % 2 === 0 ? 500 : 200));
    closing.push(app);
    gh.state.hooks.configure({ url: app.url, secret: "s" });
    for (let i = 0; i < 5; i++) await gh.state.hooks.send("push", { i });
    const request = client(gh, JWT);
    const ids: number[] = [];
    let next: string | undefined = "/app/hook/deliveries?per_page=2";
    while (next) {
      const page = await request(next);
      expect(page.status).toBe(200);
      ids.push(...(page.data as { id: number }[]).map((d) => d.id));
      const link = /<([^>]+)>; rel="next"/.exec(page.headers.get("link") ?? "");
      next = link ? new URL(link[1]!).pathname + new URL(link[1]!).search : undefined;
    }
    expect(ids).toEqual(gh.state.hooks.attempts.map((a) => a.id).reverse());
    const failures = await request("/app/hook/deliveries?status=failure");
    expect((failures.data as { status_code: number }[]).map((d) => d.status_code)).toEqual([
      500, 500, 500,
    ]);
    checker.assertClean();
  });

  test("redelivers the same body and guid as a new attempt", async () => {
    const { gh, checker } = await standIn();
    let answer = 503;
    const app = await receiver(() => answer);
    closing.push(app);
    gh.state.hooks.configure({ url: app.url, secret: "s" });
    const failed = await gh.state.hooks.send("pull_request_review", { action: "submitted" });
    answer = 202;
    const asked = await client(gh, JWT)(`POST /app/hook/deliveries/${failed.id}/attempts`);
    expect(asked.status).toBe(202);
    await gh.state.hooks.settled();
    const again = gh.state.hooks.attempts.at(-1)!;
    expect(again).toMatchObject({ guid: failed.guid, redelivery: true, statusCode: 202 });
    expect(again.id).toBeGreaterThan(failed.id);
    expect(app.received[1]!.body).toBe(app.received[0]!.body);
    expect(app.received[1]!.headers["x-github-delivery"]).toBe(failed.guid);
    checker.assertClean();
  });

  test("takes the App's JWT only, and says so", async () => {
    const { gh } = await standIn();
    const answer = await client(gh, "ghs_installation")("/app/hook/deliveries");
    expect(answer.status).toBe(401);
    expect((answer.data as { message: string }).message).toMatch(/JWT/);
    expect((await client(gh, JWT)("POST /app/hook/deliveries/123/attempts")).status).toBe(404);
  });
});
