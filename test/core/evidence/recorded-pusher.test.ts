import { describe, expect, it } from "vitest";
import { pusherFromPullRequestEvents } from "../../../src/core/evidence/records/recorded-pusher.js";

const HEAD = "a".repeat(40);
const OTHER = "b".repeat(40);

function synchronize(after: string, login: string, id: number, at: string, action = "synchronize") {
  return {
    kind: "pull-request-event",
    content: { action, after, actor: { id, login, type: "User" }, occurred_at: at },
  };
}

describe("pusherFromPullRequestEvents", () => {
  it("names the actor of the newest synchronize record that pushed the head", () => {
    const records = [
      synchronize(HEAD, "alice", 1, "2041-02-20T10:00:00Z"),
      synchronize(HEAD, "bob", 2, "2041-02-21T10:00:00Z"),
      synchronize(OTHER, "carol", 3, "2041-02-22T10:00:00Z"),
    ];
    expect(pusherFromPullRequestEvents(records, HEAD.toUpperCase())).toEqual({
      id: 2,
      login: "bob",
      type: "User",
    });
  });

  it("names nobody for other heads, other actions, other kinds or malformed records", () => {
    const records = [
      synchronize(OTHER, "carol", 3, "2041-02-22T10:00:00Z"),
      synchronize(HEAD, "dave", 4, "2041-02-22T10:00:00Z", "opened"),
      { ...synchronize(HEAD, "erin", 5, "2041-02-22T10:00:00Z"), kind: "review-event" },
      { kind: "pull-request-event", content: { action: "synchronize", after: HEAD, actor: { login: "no-id" } } },
      null,
      "text",
    ];
    expect(pusherFromPullRequestEvents(records, HEAD)).toBeNull();
  });
});
