// soc2 access-review open against the loopback GitHub stand-in: the period's access list as a pull
// request in the compliance repository, reviewed by the access control's owner, updated (never
// duplicated) on a rerun with reviewers' decisions kept; then soc2 validate checks the merged file
// and soc2 drift reports a removal the next snapshot still shows.
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  startGitHubStandIn,
  type GitHubStandIn,
  type RepositoryState,
} from "../../src/dev/github-stand-in/index.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import { createOpenApiChecker, type OpenApiChecker } from "../support/github-openapi.js";
import { reviewedProgramFiles, seedReviewedAccess } from "../support/monitored-acme.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let complianceRepo: RepositoryState;
let dir: string;
const saved = { ...process.env };
const hours = (n: number) => new Date(TEST_NOW.getTime() + n * 3_600_000);

beforeEach(async () => {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  const { sam } = seedReviewedAccess(gh);
  gh.state.settings.items.repository("acme/web").teams.push({
    teamId: 3001,
    slug: "leads",
    name: "Leads",
    permission: "maintain",
  });
  gh.state.addTeam({ org: "acme", slug: "security", members: [sam] });
  complianceRepo = gh.state.addRepository({
    owner: "acme",
    name: "compliance",
    files: { "README.md": "# compliance\n" },
  });
  dir = await tempDir();
  await writeTree(dir, reviewedProgramFiles("github: [sokafor], github_team: acme/security"));
  process.env.GITHUB_TOKEN = "ghs_reviewtoken";
  process.env.GITHUB_API_URL = gh.url;
  delete process.env.GITHUB_REPOSITORY;
});

afterEach(async () => {
  process.env = { ...saved };
  checker.assertClean();
  await gh?.close();
});

const open = (at: Date, ...args: string[]) =>
  runCliAt(at, "access-review", "open", dir, "--repo", "acme/compliance", ...args);

const reviewOnBranch = () =>
  parse(complianceRepo.readFile("access-reviews/2041-Q1.yaml", "soc2/access-review-2041-Q1")!) as {
    entries: Array<{
      account: string;
      target: string;
      kind: string;
      permission: string;
      decision: string;
      note?: string;
    }>;
  };

describe("soc2 access-review open", () => {
  it("opens one pull request for the quarter, lists every owner, member, outside collaborator and team, and asks the control owner to review", async () => {
    const first = await open(hours(0));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^access review 2041-Q1 \(6 entries, access-reviews\/2041-Q1\.yaml\): pull request #\d+ opened in acme\/compliance\n$/,
    );
    const pulls = [...complianceRepo.pulls.values()];
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.headRef).toBe("soc2/access-review-2041-Q1");
    expect(pulls[0]!.requestedReviewers.map((a) => a.login)).toEqual(["sokafor"]);
    expect(pulls[0]!.requestedTeams.map((t) => t.slug)).toEqual(["security"]);
    expect(
      reviewOnBranch().entries.map((e) => [e.account, e.kind, e.target, e.permission, e.decision]),
    ).toEqual([
      ["bob", "member", "acme", "member", "pending"],
      ["olivia", "owner", "acme", "owner", "pending"],
      ["sokafor", "member", "acme", "member", "pending"],
      ["bob", "member", "acme/web", "write", "pending"],
      ["contractor", "outside_collaborator", "acme/web", "admin", "pending"],
      ["team:leads", "team", "acme/web", "maintain", "pending"],
    ]);
  });

  it("updates the open pull request on a rerun, keeping the reviewers' decisions, and never opens a second", async () => {
    await open(hours(0));
    // A reviewer marks the contractor's admin for removal on the branch.
    const text = complianceRepo.readFile(
      "access-reviews/2041-Q1.yaml",
      "soc2/access-review-2041-Q1",
    )!;
    const edited = text.replace(
      /(account: contractor\n(?:.*\n){4}\s+)decision: pending/,
      "$1decision: remove\n    note: TICKET-7",
    );
    expect(edited).not.toBe(text);
    complianceRepo.commit({
      branch: "soc2/access-review-2041-Q1",
      files: { "access-reviews/2041-Q1.yaml": edited },
    });
    // Someone new joined since: the list grows, the decision stays.
    gh.state.settings.addCollaborator("acme/web", {
      account: gh.state.addUser("newcomer"),
      role: "read",
      outside: false,
    });
    const again = await open(hours(1));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/pull request #\d+ updated in acme\/compliance/);
    expect(complianceRepo.pulls.size).toBe(1);
    const contractor = reviewOnBranch().entries.find((e) => e.account === "contractor")!;
    expect(contractor).toMatchObject({ decision: "remove", note: "TICKET-7" });
    expect(reviewOnBranch().entries.some((e) => e.account === "newcomer")).toBe(true);
    const third = await open(hours(2), "--format", "json");
    expect(JSON.parse(third.stdout)).toMatchObject({ action: "unchanged", entries: 7 });
  });

  it("changes nothing on GitHub with --dry-run", async () => {
    const dry = await open(hours(0), "--dry-run", "--format", "json");
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      action: "opened",
      dry_run: true,
      number: null,
      reviewers: ["sokafor"],
      team_reviewers: ["security"],
      entries: 6,
    });
    expect(complianceRepo.pulls.size).toBe(0);
    expect(
      complianceRepo.readFile("access-reviews/2041-Q1.yaml", "soc2/access-review-2041-Q1"),
    ).toBeUndefined();
  });

  it("says what is wrong without a stack trace", async () => {
    const bad = await open(hours(0), "--quarter", "2041-Q5");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--quarter "2041-Q5" is not a period');
    const noRepo = await runCliAt(hours(0), "access-review", "open", dir);
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toContain("--repo owner/name");
  });
});

describe("a merged access review", () => {
  it("is validated, and a removal the next snapshot still shows is drift of the access control", async () => {
    await open(hours(0));
    const text = complianceRepo
      .readFile("access-reviews/2041-Q1.yaml", "soc2/access-review-2041-Q1")!
      .replace(/(account: contractor\n(?:.*\n){4}\s+)decision: pending/, "$1decision: remove");
    await writeTree(dir, { "access-reviews/2041-Q1.yaml": text });
    const validated = await runCliAt(hours(1), "validate", dir);
    expect(validated.stdout + validated.stderr).not.toContain("access-reviews/");
    // The monitor's next snapshot still shows the contractor as admin of acme/web.
    const store = await tempDir();
    process.env.EVIDENCE_GIT_DIR = store;
    delete process.env.EVIDENCE_REPO;
    const monitored = await runCliAt(hours(2), "monitor", "--config", join(dir, "soc2.yml"));
    expect(monitored.stdout).toContain("GOV-01: fail");
    expect(monitored.stdout).toContain(
      "contractor's admin access to acme/web, marked remove in access-reviews/2041-Q1.yaml, is not carried out",
    );
    // soc2 drift re-derives it offline from the stored snapshots and the merged review.
    await cp(join(store, "evidence"), join(dir, "evidence"), { recursive: true });
    const drift = await runCliAt(hours(3), "drift", dir);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toBe(monitored.stdout.slice(monitored.stdout.indexOf("GOV-01:")));
    // As of a day before the review was generated, the review does not count.
    const before = await runCliAt(hours(3), "drift", dir, "--as-of", "2041-02-24");
    expect(before.stdout).not.toContain("access_review_removals");
  });

  it("is reported when its file is named after another period", async () => {
    await open(hours(0));
    const text = complianceRepo.readFile(
      "access-reviews/2041-Q1.yaml",
      "soc2/access-review-2041-Q1",
    )!;
    await writeTree(dir, { "access-reviews/2041-Q2.yaml": text });
    const validated = await runCliAt(hours(1), "validate", dir);
    expect(validated.code).toBe(1);
    expect(validated.stdout + validated.stderr).toMatch(
      /access-reviews\/2041-Q2\.yaml:\d+:\d+: error: the review is of period 2041-Q1 but the file is named 2041-Q2.*\[access-review-period\]/,
    );
  });
});
