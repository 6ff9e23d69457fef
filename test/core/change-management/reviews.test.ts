import { describe, expect, it } from "vitest";
import type { Review } from "../../../src/core/change-management/facts.js";
import { reviewerStandings } from "../../../src/core/change-management/reviews.js";
import { approve, bob, carol, comment, dismissed, requestChanges } from "./builder.js";

const standings = (reviews: Review[]) =>
  reviewerStandings(reviews).map((s) => [s.reviewer.login, s.standing, s.review.id]);

describe("reviewerStandings: the latest review of each reviewer wins", () => {
  it.each<[string, () => Review[], Array<[string, string]>]>([
    ["approve", () => [approve(bob)], [["bob", "approved"]]],
    [
      "approve, request changes",
      () => [approve(bob), requestChanges(bob)],
      [["bob", "changes-requested"]],
    ],
    ["request changes, approve", () => [requestChanges(bob), approve(bob)], [["bob", "approved"]]],
    ["approve, comment", () => [approve(bob), comment(bob)], [["bob", "approved"]]],
    [
      "request changes, comment",
      () => [requestChanges(bob), comment(bob)],
      [["bob", "changes-requested"]],
    ],
    ["comment only", () => [comment(bob)], [["bob", "commented"]]],
    ["approve, dismissed", () => [approve(bob), dismissed(bob)], [["bob", "dismissed"]]],
    [
      "approve, approve (dismissed: true)",
      () => [approve(bob), approve(bob, { dismissed: true })],
      [["bob", "dismissed"]],
    ],
    ["dismissed, comment", () => [dismissed(bob), comment(bob)], [["bob", "dismissed"]]],
    [
      "two reviewers",
      () => [approve(carol), requestChanges(bob)],
      [
        ["bob", "changes-requested"],
        ["carol", "approved"],
      ],
    ],
  ])("%s", (_, make, expected) => {
    expect(standings(make()).map(([login, standing]) => [login, standing])).toEqual(expected);
  });

  it("orders by submission time, then by review id", () => {
    const late = approve(bob, { id: 1, at: "2026-05-01T10:00:00Z" });
    const early = requestChanges(bob, { id: 2, at: "2026-05-01T09:00:00Z" });
    expect(standings([late, early])).toEqual([["bob", "approved", 1]]);
    const tieA = approve(bob, { id: 5, at: "2026-05-01T09:00:00Z" });
    const tieB = requestChanges(bob, { id: 6, at: "2026-05-01T09:00:00Z" });
    expect(standings([tieB, tieA])).toEqual([["bob", "changes-requested", 6]]);
  });

  it("keys reviewers by id: a renamed reviewer is one reviewer, named by their latest login", () => {
    const reviews = [approve({ ...bob, login: "bob-old" }), comment({ ...bob, login: "robert" })];
    expect(standings(reviews)).toEqual([["robert", "approved", reviews[0]!.id]]);
  });
});
