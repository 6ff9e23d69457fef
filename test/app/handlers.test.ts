import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Probot } from "probot";
import {
  approval,
  BASE,
  bob,
  contents,
  HEAD,
  MERGE,
  mergedPayload,
  mockMerge,
  POLICY,
  REPO,
  TOKEN_IN_MESSAGE,
} from "./github-fixtures.js";
import { RecordingError } from "../../app/handlers/record.js";
import { checkGraphQLRequest } from "../support/github-graphql.js";
import { API, appKey, example, github, testApp, type TestApp } from "./support.js";

let problems: string[] = [];

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, "every mocked GitHub answer was asked for").toEqual([]);
  expect(problems, "requests match GitHub's OpenAPI description").toEqual([]);
  problems = [];
});

const DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

function receive(probot: Probot, name: string, payload: object, id = DELIVERY) {
  return probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
}

/** The log lines the App wrote about records (soc2: …). */
const recordLogs = (app: TestApp) =>
  app.logs.lines.filter((l) => String(l.msg).startsWith("soc2:"));

describe("reviews", () => {
  it("records a submitted review and logs the delivery, record id and status", async () => {
    const app = await testApp();
    const payload = example("pull_request_review", "submitted");
    payload.review.state = "approved";
    await receive(app.probot, "pull_request_review", payload);
    const [record] = app.store.ofKind("review-event");
    expect(record?.id).toBe(
      `reviews/codertocat/hello-world/pr-2/${payload.review.id}-submitted-${DELIVERY}`,
    );
    expect(record?.source).toMatchObject({
      delivery_id: DELIVERY,
      event: "pull_request_review.submitted",
    });
    expect(recordLogs(app)).toEqual([
      expect.objectContaining({
        deliveryId: DELIVERY,
        event: "pull_request_review.submitted",
        recordId: record?.id,
        status: "written",
      }),
    ]);
  });

  it("keeps one record for a redelivered webhook (same X-GitHub-Delivery)", async () => {
    const app = await testApp();
    const payload = example("pull_request_review", "submitted");
    await receive(app.probot, "pull_request_review", payload);
    await receive(app.probot, "pull_request_review", payload);
    expect(app.store.calls).toHaveLength(2);
    expect(new Set(app.store.calls).size).toBe(1);
    expect(app.store.records.size).toBe(1);
    expect(recordLogs(app).map((l) => l.status)).toEqual(["written", "exists"]);
    // A new delivery of a new event is a new record.
    await receive(
      app.probot,
      "pull_request_review",
      { ...payload, action: "edited" },
      "other-delivery",
    );
    expect(app.store.records.size).toBe(2);
  });

  it("records a dismissal", async () => {
    const app = await testApp();
    await receive(app.probot, "pull_request_review", example("pull_request_review", "dismissed"));
    expect(app.store.ofKind("review-event")[0]?.content).toMatchObject({
      action: "dismissed",
      review: { state: "DISMISSED", dismissed: true },
    });
  });
});

describe("pull request events", () => {
  it("records opened, reopened and ready_for_review without calling GitHub", async () => {
    const app = await testApp();
    for (const action of ["opened", "reopened", "ready_for_review"])
      await receive(app.probot, "pull_request", example("pull_request", action), `d-${action}`);
    expect(app.store.ofKind("pull-request-event").map((r) => r.content.action)).toEqual([
      "opened",
      "reopened",
      "ready_for_review",
    ]);
  });

  it("asks GitHub whether a push to the pull request rewrote its history", async () => {
    const app = await testApp();
    const payload = example("pull_request", "synchronize");
    github(problems)
      .get(`${REPO}/compare/${payload.before}...${payload.after}`)
      .query(true)
      .reply(200, { status: "diverged", ahead_by: 1, behind_by: 1, total_commits: 1, commits: [] });
    await receive(app.probot, "pull_request", payload);
    expect(app.store.ofKind("pull-request-event")[0]?.content).toMatchObject({
      action: "synchronize",
      before: payload.before,
      after: payload.after,
      forced: true,
    });
  });

  it("records a base change, and nothing for other edits or unrecorded actions", async () => {
    const app = await testApp();
    const edited = example("pull_request", "opened");
    edited.action = "edited";
    edited.changes = { title: { from: "old" } };
    await receive(app.probot, "pull_request", edited, "d-title");
    await receive(app.probot, "pull_request", example("pull_request", "labeled"), "d-label");
    expect(app.store.records.size).toBe(0);
    edited.changes = { base: { ref: { from: "develop" }, sha: { from: BASE } } };
    await receive(app.probot, "pull_request", edited, "d-base");
    expect(app.store.ofKind("pull-request-event")[0]?.content).toMatchObject({
      action: "base_changed",
      base_change: { from: "develop", to: "master" },
    });
  });
});

describe("merges", () => {
  it("records the change with the verdict the Action would give, from the base commit's policy", async () => {
    const app = await testApp();
    mockMerge(github(problems), { reviews: [approval] });
    await receive(app.probot, "pull_request", mergedPayload());
    const [record] = app.store.ofKind("change-record");
    expect(record?.id).toBe("changes/codertocat/hello-world/2026/03/pr-2");
    expect(record?.content).toMatchObject({
      change: {
        type: "pull-request",
        number: 2,
        merged_sha: MERGE,
        head_sha: HEAD,
        base_sha: BASE,
        merge_method: "merge",
        merged_by: { id: bob.id, login: "bob" },
        merged_at: "2026-03-02T09:59:00.000Z",
      },
      reviews: [{ id: 80, reviewer: { id: bob.id }, state: "APPROVED", commit_id: HEAD }],
      checks: [{ name: "test", conclusion: "success", sha: HEAD }],
      tickets: ["PAY-12", "OPS-3"],
      labels: ["docs"],
      verdict: { result: "pass", evaluated_at: "2026-03-02T10:00:00.000Z" },
      facts: { number: 2, event: "pull_request", collected_at: "2026-03-02T10:00:00.000Z" },
    });
    expect(record?.content).not.toHaveProperty("exception");
    expect(JSON.stringify(record)).not.toContain(TOKEN_IN_MESSAGE);
  });

  it("records a merge without approval as an exception", async () => {
    const app = await testApp();
    mockMerge(github(problems), { reviews: [] });
    await receive(app.probot, "pull_request", mergedPayload());
    expect(app.store.ofKind("change-record")[0]?.content).toMatchObject({
      verdict: { result: "fail" },
      exception: { type: "bypass", reason: expect.stringContaining("merged by bob") },
    });
  });

  it("judges a repository without soc2.yml by the default rules on PROTECTED_BRANCHES", async () => {
    const app = await testApp({ PROTECTED_BRANCHES: "master" });
    mockMerge(github(problems), { reviews: [approval], policy: null });
    await receive(app.probot, "pull_request", mergedPayload());
    expect(app.store.ofKind("change-record")[0]?.content).toMatchObject({
      verdict: { result: "pass" },
    });
    expect(app.logs.lines).toContainEqual(
      expect.objectContaining({ level: 40, msg: "soc2: no valid policy: the default rules apply" }),
    );
  });

  it("records nothing for a merge into a branch the policy does not protect", async () => {
    const app = await testApp();
    mockMerge(github(problems), { baseRef: "feature/x" });
    await receive(app.probot, "pull_request", mergedPayload({ baseRef: "feature/x" }));
    expect(app.store.records.size).toBe(0);
  });

  it("records nothing for a pull request closed without merging, without calling GitHub", async () => {
    const app = await testApp();
    await receive(app.probot, "pull_request", example("pull_request", "closed"));
    expect(app.store.records.size).toBe(0);
  });

  it("reads the policy from POLICY_REPOSITORY when set", async () => {
    const app = await testApp({ POLICY_REPOSITORY: "acme/compliance:programs/soc2.yml@v3" });
    const scope = github(problems);
    // The repository's own soc2.yml is not read: the central one is, at its ref.
    mockMerge(scope, { reviews: [approval], baseRef: "feature/x", policy: false });
    scope
      .get("/repos/acme/compliance/contents/programs%2Fsoc2.yml")
      .query({ ref: "v3" })
      .reply(200, contents(POLICY.replace("branches: [master, main]", "branches: [release]")));
    await receive(app.probot, "pull_request", mergedPayload({ baseRef: "feature/x" }));
    expect(app.store.records.size).toBe(0);
    expect(app.logs.lines).toContainEqual(
      expect.objectContaining({
        policy: "acme/compliance:programs/soc2.yml@v3",
        base: "feature/x",
      }),
    );
  });
});

describe("pushes", () => {
  function push(over: Record<string, unknown> = {}) {
    const payload = example("push");
    Object.assign(payload, { before: BASE, created: false, ...over });
    return payload;
  }
  const after = () => example("push").after as string;

  it("records a direct push whose commit belongs to no merged pull request", async () => {
    const app = await testApp({}, [5]);
    github(problems)
      .get(`${REPO}/contents/soc2.yml`)
      .query({ ref: BASE })
      .reply(200, contents(POLICY))
      .get(`${REPO}/commits/${after()}/pulls`)
      .query(true)
      .times(2)
      .reply(200, [{ number: 9, merged_at: null, base: { ref: "master" } }]);
    await receive(app.probot, "push", push());
    expect(app.slept).toEqual([5]);
    const [record] = app.store.ofKind("change-record");
    expect(record?.id).toBe(`changes/codertocat/hello-world/2019/05/push-${after().slice(0, 12)}`);
    expect(record?.content).toMatchObject({
      change: {
        type: "direct-push",
        base_ref: "master",
        merged_sha: after(),
        merge_method: "push",
      },
      exception: { type: "direct-push" },
    });
  });

  it("names the GitHub account of a pushed commit whose author has a linked email", async () => {
    const app = await testApp();
    const payload = push();
    payload.commits[0].author = { name: "Dana Dev", email: "dana@acme.example", username: "dana" };
    github(problems)
      .get(`${REPO}/contents/soc2.yml`)
      .query({ ref: BASE })
      .reply(200, contents(POLICY))
      .get(`${REPO}/commits/${after()}/pulls`)
      .query(true)
      .reply(200, [])
      .get(`${REPO}/commits/${after()}`)
      .reply(200, {
        sha: after(),
        commit: { message: "Initial commit", author: { name: "Dana Dev" } },
        author: { login: "dana", id: 4242, type: "User" },
        committer: { login: "Codertocat", id: 21031067, type: "User" },
      });
    await receive(app.probot, "push", payload);
    expect(app.store.ofKind("change-record")[0]?.content).toMatchObject({
      commits: [
        {
          author: { name: "Dana Dev", account: { id: 4242, login: "dana", type: "User" } },
          committer: { account: { id: 21031067, login: "Codertocat" } },
        },
      ],
    });
  });

  it("records nothing when the commits belong to a merged pull request into the branch", async () => {
    const app = await testApp({}, [5]);
    github(problems)
      .get(`${REPO}/contents/soc2.yml`)
      .query({ ref: BASE })
      .reply(200, contents(POLICY))
      .get(`${REPO}/commits/${after()}/pulls`)
      .query(true)
      .reply(200, [{ number: 2, merged_at: "2026-03-02T09:59:00Z", base: { ref: "master" } }]);
    await receive(app.probot, "push", push());
    expect(app.store.records.size).toBe(0);
    expect(app.slept).toEqual([]);
  });

  it("records a forced push even when its commits belong to merged pull requests", async () => {
    const app = await testApp();
    github(problems)
      .get(`${REPO}/contents/soc2.yml`)
      .query({ ref: BASE })
      .reply(200, contents(POLICY))
      .get(`${REPO}/commits/${after()}/pulls`)
      .query(true)
      .reply(200, [{ number: 2, merged_at: "2026-03-02T09:59:00Z", base: { ref: "master" } }]);
    await receive(app.probot, "push", push({ forced: true }));
    expect(app.store.ofKind("change-record")[0]?.content).toMatchObject({
      commits: [],
      exception: { type: "direct-push", reason: expect.stringContaining("force-pushed") },
    });
  });

  it("ignores tags, unprotected branches and the App's own evidence commits", async () => {
    const app = await testApp({
      EVIDENCE_REPO: "Codertocat/Hello-World",
      EVIDENCE_BRANCH: "master",
    });
    await receive(app.probot, "push", push({ ref: "refs/tags/v1.0.0" }), "d-tag");
    const evidence = push();
    evidence.commits[0].added = ["evidence/changes/acme/web/2026/03/pr-1.yml"];
    evidence.commits[0].modified = ["evidence/chain-head.json"];
    evidence.commits[0].removed = [];
    await receive(app.probot, "push", evidence, "d-evidence");
    github(problems)
      .get(`${REPO}/contents/soc2.yml`)
      .query({ ref: BASE })
      .reply(200, contents(POLICY));
    await receive(app.probot, "push", push({ ref: "refs/heads/feature/x" }), "d-feature");
    expect(app.store.records.size).toBe(0);
  });
});

describe("failures", () => {
  it("logs a store failure with the delivery id and fails the delivery, with no secret in the logs", async () => {
    const app = await testApp();
    app.store.failWith = new Error("HTTP 500 from the evidence repository");
    await expect(
      receive(app.probot, "pull_request_review", example("pull_request_review", "submitted")),
    ).rejects.toThrow(AggregateError);
    expect(app.logs.lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        deliveryId: DELIVERY,
        status: "failed",
        error: "HTTP 500 from the evidence repository",
      }),
    );
    expect(app.store.records.size).toBe(0);
  });

  it("fails the delivery when GitHub fails, and never logs the token or the key", async () => {
    const app = await testApp();
    github(problems).get(`${REPO}/pulls/2/files`).query(true).reply(404, { message: "Not Found" });
    const error = await receive(app.probot, "pull_request", mergedPayload()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AggregateError);
    // No HTTP status of its own: Probot answers 500, not GitHub's 404 (which would read as a wrong webhook URL).
    const [cause] = (error as AggregateError).errors as Error[];
    expect(cause).toBeInstanceOf(RecordingError);
    expect(cause).not.toHaveProperty("status");
    expect(app.logs.lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        deliveryId: DELIVERY,
        event: "pull_request.closed",
        status: "failed",
      }),
    );
    const text = app.logs.text();
    expect(text).not.toContain("ghs_installationtoken");
    expect(text).not.toContain(appKey().split("\n")[1]);
    expect(app.store.records.size).toBe(0);
  });
});

/** GitHub's GraphQL endpoint, whose every query is checked against GitHub's schema. */
function graphqlEndpoint(status: number, answer: object): nock.Scope {
  return nock(API)
    .post("/graphql")
    .reply((_uri, body) => {
      problems.push(...checkGraphQLRequest(body));
      return [status, answer];
    });
}

// GITHUB_API=graphql (the default) against a GitHub that cannot run the App's query (an older
// GitHub Enterprise Server): the App falls back to REST and records the same change; a GraphQL
// request that merely failed is retried like any failed request, not replaced by REST.
describe("merges with GITHUB_API=graphql", () => {
  it("reads with REST when GitHub's schema lacks a field the query uses, and says so", async () => {
    const app = await testApp({ GITHUB_API: "graphql" });
    graphqlEndpoint(200, {
      errors: [
        {
          message: "Field 'timelineItems' doesn't exist on type 'PullRequest'",
          locations: [{ line: 30, column: 3 }],
          extensions: {
            code: "undefinedField",
            typeName: "PullRequest",
            fieldName: "timelineItems",
          },
        },
      ],
    });
    mockMerge(github(problems), { reviews: [approval] });
    await receive(app.probot, "pull_request", mergedPayload());
    const [record] = app.store.ofKind("change-record");
    expect(record?.content).toMatchObject({ verdict: { result: "pass" } });
    expect(app.logs.lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        deliveryId: DELIVERY,
        msg: expect.stringContaining("reading with REST"),
        reason: expect.stringContaining("Field 'timelineItems' doesn't exist"),
      }),
    );
  });

  it("fails the delivery (to be retried) when the GraphQL request itself fails", async () => {
    const app = await testApp({ GITHUB_API: "graphql" });
    github(problems);
    graphqlEndpoint(502, { message: "Server Error" });
    await expect(receive(app.probot, "pull_request", mergedPayload())).rejects.toThrow(
      AggregateError,
    );
    expect(app.store.records.size).toBe(0);
    expect(app.logs.lines).toContainEqual(
      expect.objectContaining({ level: 50, deliveryId: DELIVERY, status: "failed" }),
    );
  });
});
