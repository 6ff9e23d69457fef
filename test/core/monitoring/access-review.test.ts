// The pure core of access reviews: periods, the list and its decisions carried over, and drift of
// removals against the latest snapshot taken after the review.
import { describe, expect, it } from "vitest";
import {
  accessReviewChecks,
  buildAccessReview,
  periodOf,
  readAccessReview,
  type AccessReview,
  type MonitoringSnapshot,
} from "../../../src/core/monitoring/index.js";
import { organizationSettings, repositorySettings } from "./samples.js";

const org = organizationSettings({ outside_collaborators: [{ login: "carol", id: 12 }] });
const repo = repositorySettings({
  collaborators: [
    { login: "bob", id: 11, role_name: "write" },
    { login: "carol", id: 12, role_name: "admin" },
  ],
  teams: [{ slug: "leads", id: 3, name: "Leads", permission: "admin" }],
});

const build = (previous?: AccessReview) =>
  buildAccessReview({
    period: "2041-Q1",
    control: "ACC-04",
    reviewers: ["olivia"],
    generatedAt: "2041-02-26T00:00:00.000Z",
    organization: "acme",
    org,
    repositories: [{ name: "acme/web", settings: repo }],
    ...(previous ? { previous } : {}),
  });

const at = (
  captured: string,
  settings: MonitoringSnapshot["settings"],
  type: "organization" | "repository",
  name: string,
): MonitoringSnapshot => ({
  scope: { type, name },
  captured_at: captured,
  settings,
});

describe("access reviews", () => {
  it("names the period of a moment: a quarter, or a month", () => {
    expect(periodOf(new Date("2041-02-26T00:00:00Z"))).toBe("2041-Q1");
    expect(periodOf(new Date("2041-12-31T23:59:59Z"))).toBe("2041-Q4");
    expect(periodOf(new Date("2041-02-26T00:00:00Z"), "month")).toBe("2041-02");
  });

  it("lists owners and members, then each repository's collaborators and teams, pending", () => {
    const { review, gaps } = build();
    expect(gaps).toEqual([]);
    expect(
      review.entries.map((e) => `${e.kind} ${e.account} ${e.target} ${e.permission} ${e.decision}`),
    ).toEqual([
      "member bob acme member pending",
      "owner olivia acme owner pending",
      "member bob acme/web write pending",
      "outside_collaborator carol acme/web admin pending",
      "team team:leads acme/web admin pending",
    ]);
  });

  it("keeps decisions already made, and says what GitHub would not show", () => {
    const first = build().review;
    first.entries.find((e) => e.account === "carol")!.decision = "remove";
    const again = build(readAccessReview(JSON.parse(JSON.stringify(first))));
    expect(again.review.entries.find((e) => e.account === "carol")).toMatchObject({
      decision: "remove",
    });
    const partial = buildAccessReview({
      ...{
        period: "2041-Q1",
        control: "ACC-04",
        reviewers: [],
        generatedAt: "x",
        organization: "acme",
      },
      org: { ...org, members: { not_available: "HTTP 403" } },
      repositories: [{ name: "acme/web", settings: repositorySettings() }],
    });
    expect(partial.gaps).toEqual([
      "members of acme: HTTP 403",
      "collaborators of acme/web: not collected",
      "teams of acme/web: not collected",
    ]);
  });

  it("is drift when a removal is still shown by the next snapshot, holds once it is gone, and cannot tell before a snapshot", () => {
    const review = build().review;
    review.entries.find((e) => e.account === "carol")!.decision = "remove";
    review.entries.find((e) => e.account === "team:leads")!.decision = "remove";
    const latest = (
      settings: MonitoringSnapshot["settings"],
      captured = "2041-03-01T00:00:00.000Z",
    ) => new Map([["repository acme/web", at(captured, settings, "repository", "acme/web")]]);
    const results = (m: Map<string, MonitoringSnapshot>) =>
      accessReviewChecks([review], m).map((c) => [c.control, c.result]);
    expect(results(latest(repo))).toEqual([
      ["ACC-04", "fail"],
      ["ACC-04", "fail"],
    ]);
    expect(
      results(
        latest({
          ...repo,
          collaborators: [{ login: "bob", id: 11, role_name: "write" }],
          teams: [],
        }),
      ),
    ).toEqual([
      ["ACC-04", "pass"],
      ["ACC-04", "pass"],
    ]);
    expect(results(latest(repo, "2041-02-01T00:00:00.000Z"))).toEqual([
      ["ACC-04", "unknown"],
      ["ACC-04", "unknown"],
    ]);
    // A later review supersedes it: carol's admin kept then is no drift now.
    const later = {
      ...build().review,
      period: "2041-Q2",
      generated_at: "2041-02-27T00:00:00.000Z",
    };
    expect(accessReviewChecks([review, later], latest(repo))).toEqual([
      expect.objectContaining({
        result: "pass",
        reason: "no removal decided in access-reviews/2041-Q2.yaml",
      }),
    ]);
  });
});
