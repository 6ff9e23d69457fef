import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFacts } from "../../../src/core/change-management/facts-schema.js";
import { approve, bob, checkRun, commit, facts, sha, status } from "./builder.js";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const load = (name: string): unknown => JSON.parse(readFileSync(fixtures + name, "utf8"));
const valid = readdirSync(fixtures).filter((f) => f.endsWith(".json") && f !== "invalid.json");

describe("pull-request facts schema", () => {
  it.each(valid)("accepts fixtures/%s", (name) => {
    const checked = checkFacts(load(name));
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  it("accepts facts with every optional part", () => {
    const full = facts({
      commits: [commit("head", "Laptop", { committer: bob, coAuthors: [bob, "Someone"] })],
      commit_count: 1,
      reviews: [approve(bob, { dismissed: true }), { ...approve(bob), commit_id: null }],
      changed_files: [{ path: "b.ts", status: "renamed", previous_path: "a.ts" }],
      codeowners: { path: "docs/CODEOWNERS", text: "* @bob\n" },
      team_members: { "acme-cloud/security": [bob] },
      last_pusher: null,
      checks: [checkRun("validate", null, { status: "queued" }), status("ci/legacy", "pending")],
      base: { ref: "main", sha: sha("base"), changed_at: "2026-05-01T10:00:00Z" },
      head: { ref: "main", sha: sha("head"), repo_full_name: null },
      merge_group: {
        head_sha: sha("queue"),
        head_ref: "gh-readonly-queue/main/pr-42",
        base_sha: sha("base"),
        base_ref: "main",
      },
      merged: { by: bob, at: "2026-05-01T11:00:00Z", commit_sha: sha("merge") },
      body: null,
    });
    const checked = checkFacts(full);
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  it("names the JSON path of each problem", () => {
    const checked = checkFacts(load("invalid.json"));
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.problems).toEqual([
      {
        path: "(root)",
        message: 'unknown property "merged_by": remove it (the format rejects unknown keys)',
      },
      { path: "head.sha", message: "must be a full commit SHA (40 lower-case hex digits)" },
      {
        path: "reviews[0].state",
        message: 'must be one of "APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"',
      },
    ]);
  });

  it.each<[string, unknown, { path: string; message: RegExp }]>([
    ["not an object", [], { path: "(root)", message: /must be object/ }],
    [
      "a missing field",
      { ...facts(), commits_complete: undefined },
      { path: "(root)", message: /missing required property "commits_complete"/ },
    ],
    [
      "a check run without its status",
      {
        ...facts(),
        checks: [{ kind: "check_run", name: "validate", sha: sha("h"), conclusion: null }],
      },
      { path: "checks[0]", message: /missing required property "status"/ },
    ],
    [
      "a commit status with a check run's fields",
      {
        ...facts(),
        checks: [
          { kind: "status", name: "ci", sha: sha("h"), state: "success", conclusion: "success" },
        ],
      },
      { path: "checks[0]", message: /unknown property "conclusion"/ },
    ],
    [
      "a bad team key",
      { ...facts(), team_members: { security: [] } },
      { path: "team_members", message: /key "security" must be a team as org\/team-slug/ },
    ],
    [
      "a timestamp without a time zone",
      { ...facts(), collected_at: "2026-05-01 12:00" },
      { path: "collected_at", message: /must be a timestamp with a time zone/ },
    ],
    [
      "a CODEOWNERS file where GitHub does not look",
      { ...facts(), codeowners: { path: "src/CODEOWNERS", text: "" } },
      { path: "codeowners.path", message: /must be one of ".github\/CODEOWNERS"/ },
    ],
  ])("rejects %s", (_, value, expected) => {
    const checked = checkFacts(value);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.problems).toContainEqual({
      path: expected.path,
      message: expect.stringMatching(expected.message),
    });
  });
});
