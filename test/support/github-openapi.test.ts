import { describe, expect, test } from "vitest";
import { checkRequest, checkResponse, matchRoute } from "./github-openapi.js";

const BLOBS = "/repos/{owner}/{repo}/git/blobs";
const params = { owner: "acme", repo: "evidence" };

describe("checkRequest", () => {
  test("accepts well-formed requests", () => {
    expect(
      checkRequest({
        method: "POST",
        route: BLOBS,
        params,
        body: { content: "x", encoding: "base64" },
      }),
    ).toEqual([]);
    expect(
      checkRequest({
        method: "GET",
        route: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
        params: { ...params, pull_number: "12" },
        query: { per_page: "100", page: "3" },
      }),
    ).toEqual([]);
    expect(
      checkRequest({
        method: "PATCH",
        route: "/repos/{owner}/{repo}/git/refs/{ref}",
        params: { ...params, ref: "heads/main" },
        body: { sha: "a".repeat(40), force: false },
      }),
    ).toEqual([]);
  });

  test("flags a missing required body field", () => {
    expect(
      checkRequest({ method: "POST", route: BLOBS, params, body: { encoding: "utf-8" } }),
    ).toEqual(["request body: (root) must have required property 'content'"]);
    expect(checkRequest({ method: "POST", route: BLOBS, params })).toEqual([
      "git/create-blob requires a request body",
    ]);
  });

  test("flags wrong types in the query, the path and the body", () => {
    const route = "/repos/{owner}/{repo}/pulls/{pull_number}/commits";
    expect(
      checkRequest({
        method: "GET",
        route,
        params: { ...params, pull_number: "12" },
        query: { per_page: "many" },
      }),
    ).toEqual(['query parameter "per_page"="many": (root) must be integer']);
    expect(
      checkRequest({ method: "GET", route, params: { ...params, pull_number: "twelve" } })[0],
    ).toMatch(/path parameter "pull_number"/);
    expect(
      checkRequest({
        method: "PATCH",
        route: "/repos/{owner}/{repo}/git/refs/{ref}",
        params: { ...params, ref: "heads/main" },
        body: { sha: "a", force: "yes" },
      }),
    ).toEqual(["request body: /force must be boolean"]);
    expect(
      checkRequest({
        method: "GET",
        route: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
        params: { ...params, ref: "main" },
        query: { filter: "newest" },
      })[0],
    ).toMatch(/must be equal to one of the allowed values/);
  });

  test("flags unknown query parameters, bodies on GETs and operations outside the subset", () => {
    const route = "/repos/{owner}/{repo}";
    expect(checkRequest({ method: "GET", route, params, query: { ref: "main" } })).toEqual([
      'query parameter "ref" is not defined for repos/get',
    ]);
    expect(checkRequest({ method: "GET", route, params, body: { x: 1 } })).toEqual([
      "repos/get takes no request body",
    ]);
    expect(checkRequest({ method: "DELETE", route, params })).toEqual([
      "DELETE /repos/{owner}/{repo} is not an operation of the OpenAPI subset",
    ]);
    expect(checkRequest({ method: "GET", route: null, path: "/user" })[0]).toMatch(
      /not an operation/,
    );
  });

  test("matches concrete paths, with Octokit's %2F-encoded multi-segment parameters", () => {
    expect(matchRoute("GET", "/repos/acme/web/contents/.github%2FCODEOWNERS?ref=main")).toEqual({
      route: "/repos/{owner}/{repo}/contents/{path}",
      params: { owner: "acme", repo: "web", path: ".github/CODEOWNERS" },
    });
    expect(matchRoute("GET", "/api/v3/repos/acme/web/commits/heads/main/check-runs")?.route).toBe(
      "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    );
    expect(matchRoute("GET", "/repos/acme/web/commits/abc/pulls")?.route).toBe(
      "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
    );
    expect(
      checkRequest({ method: "POST", path: "/repos/acme/evidence/git/blobs", body: {} }),
    ).toEqual(["request body: (root) must have required property 'content'"]);
  });
});

describe("checkResponse", () => {
  const GET_REF = "/repos/{owner}/{repo}/git/ref/{ref}";
  const ref = {
    ref: "refs/heads/main",
    node_id: "x",
    url: "https://api.github.com/x",
    object: { type: "commit", sha: "a".repeat(40), url: "https://api.github.com/y" },
  };

  test("validates against the schema documented for the status", () => {
    expect(checkResponse("GET", GET_REF, 200, ref)).toEqual([]);
    expect(
      checkResponse("GET", GET_REF, 200, { ...ref, object: { sha: "a".repeat(40) } })[0],
    ).toMatch(/must have required property 'type'/);
    expect(checkResponse("GET", GET_REF, 200, { ...ref, url: "not a uri" })[0]).toMatch(
      /must match format "uri"/,
    );
  });

  test("accepts null where the description says nullable, and refuses it elsewhere", () => {
    const route = "/repos/{owner}/{repo}/commits/{ref}/check-runs";
    const run = (conclusion: unknown, name: unknown = "ci") => ({
      total_count: 1,
      check_runs: [
        {
          id: 1,
          node_id: "n",
          head_sha: "a",
          name,
          url: "u",
          html_url: null,
          details_url: null,
          status: "in_progress",
          conclusion,
          started_at: null,
          completed_at: null,
          external_id: null,
          check_suite: null,
          app: null,
          pull_requests: [],
          output: {
            title: null,
            summary: null,
            text: null,
            annotations_count: 0,
            annotations_url: "https://x.test/a",
          },
        },
      ],
    });
    expect(checkResponse("GET", route, 200, run(null))).toEqual([]);
    expect(checkResponse("GET", route, 200, run("success"))).toEqual([]);
    expect(checkResponse("GET", route, 200, run("great"))).not.toEqual([]);
    expect(checkResponse("GET", route, 200, run(null, null))).not.toEqual([]);
  });

  test("flags undocumented success statuses; leaves undocumented errors alone", () => {
    expect(checkResponse("GET", GET_REF, 201, ref)).toEqual([
      "git/get-ref does not document status 201",
    ]);
    expect(checkResponse("GET", GET_REF, 500, { message: "Server Error" })).toEqual([]);
    expect(checkResponse("GET", GET_REF, 404, { message: 5 })[0]).toMatch(/must be string/);
  });
});
