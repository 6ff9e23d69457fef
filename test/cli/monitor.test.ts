// soc2 monitor against the loopback GitHub stand-in, writing into a local git evidence store as
// the App would; then soc2 validate and soc2 drift re-derive everything offline from the records.
import { cp, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubStandIn, RepositoryState } from "../../src/dev/github-stand-in/index.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import type { OpenApiChecker } from "../support/github-openapi.js";
import { monitoredAcme } from "../support/monitored-acme.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let web: RepositoryState;
let compliance: string;
let store: string;
const saved = { ...process.env };
const hours = (n: number) => new Date(TEST_NOW.getTime() + n * 3_600_000);
/** A snapshot record's name at that moment: yyyymmddThhmmssZ. */
const compact = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

const PROGRAM_TAIL = `monitoring:
  organization: acme
  repositories: [acme/web]
  desired_state:
    - control: GOV-01
      branch_protection:
        required_approving_reviews: 1
        dismiss_stale_reviews: true
        block_force_pushes: true
    - control: GOV-01
      organization: { two_factor_required: true, outside_collaborators_allowed: false }
`;

beforeEach(async () => {
  ({ gh, checker, web } = await monitoredAcme({
    requiredApprovingReviewCount: 1,
    dismissStaleReviews: true,
  }));
  compliance = await tempDir();
  store = await tempDir();
  const files = minimalRepo();
  files["soc2.yml"] += PROGRAM_TAIL;
  files["controls/all.yml"] = files["controls/all.yml"]!.replace(
    "evidence:\n",
    "evidence:\n  - kind: settings-snapshot\n    description: GitHub settings snapshots.\n",
  );
  await writeTree(compliance, files);
  process.env.GITHUB_TOKEN = "ghs_monitortoken";
  process.env.GITHUB_API_URL = gh.url;
  process.env.EVIDENCE_GIT_DIR = store;
  delete process.env.EVIDENCE_REPO;
  delete process.env.EVIDENCE_GIT_REMOTE;
});

afterEach(async () => {
  process.env = { ...saved };
  checker.assertClean();
  await gh?.close();
});

const monitor = (at: Date, ...args: string[]) =>
  runCliAt(at, "monitor", "--config", join(compliance, "soc2.yml"), ...args);

describe("soc2 monitor", () => {
  it("records a snapshot per target, an unchanged one compactly, and reports drift when a setting weakens", async () => {
    const first = await monitor(hours(0));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `recorded settings-snapshots/github/orgs/acme/2041/02/${compact(hours(0))}`,
    );
    expect(first.stdout).toContain(
      `recorded settings-snapshots/github/repos/acme/web/2041/02/${compact(hours(0))}`,
    );
    expect(first.stdout).toContain("GOV-01: pass");

    const second = await monitor(hours(1));
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /recorded settings-snapshots\/github\/repos\/acme\/web\/\S+ \(unchanged: same settings as settings-snapshots\/github\/repos\/acme\/web\/2041\/02\/\d{8}T\d{6}Z\)/,
    );

    web.protectBranch("main", { requiredApprovingReviewCount: 0, allowForcePushes: true });
    const third = await monitor(hours(30));
    expect(third.code).toBe(1);
    // The organization did not change: its record points at the first full one, never at a reference.
    expect(third.stdout).toContain(
      `recorded settings-snapshots/github/orgs/acme/2041/02/${compact(hours(30))} (unchanged: same settings as settings-snapshots/github/orgs/acme/2041/02/${compact(hours(0))})`,
    );
    expect(third.stdout).toContain(
      `recorded settings-snapshots/github/repos/acme/web/2041/02/${compact(hours(30))}\n`,
    );
    expect(third.stdout).toContain(
      "✗ repository acme/web branch main: required_approving_reviews: at least 1 approving review(s) required; the snapshot shows 0",
    );
    expect(third.stdout).toContain(
      "✗ repository acme/web branch main: block_force_pushes: blocking force pushes required; the snapshot shows off",
    );
    expect(third.stdout).toContain("GOV-01: fail");
    expect(JSON.stringify(gh.requests)).not.toContain("ghs_monitortoken");

    // Offline: the records validate, and soc2 drift re-derives the same verdict from them.
    await cp(join(store, "evidence"), join(compliance, "evidence"), { recursive: true });
    const months = await readdir(
      join(compliance, "evidence/settings-snapshots/github/repos/acme/web/2041"),
    );
    expect(months).toEqual(["02"]);
    const validate = await runCliAt(hours(31), "validate", compliance);
    expect(validate.stdout).toBe("");
    expect(validate.code).toBe(0);
    const drift = await runCliAt(hours(31), "drift", compliance);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toBe(third.stdout.slice(third.stdout.indexOf("GOV-01:")));
    const before = await runCliAt(
      hours(31),
      "drift",
      compliance,
      "--as-of",
      hours(1).toISOString().slice(0, 10),
    );
    expect(before.code).toBe(0);
    expect(before.stdout).toContain("GOV-01: pass");
  });

  it("--dry-run reads and evaluates but records nothing", async () => {
    const run = await monitor(hours(0), "--dry-run", "--format", "json");
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      snapshots: Array<{ stored: string }>;
      drift: Array<{ result: string }>;
    };
    expect(answer.snapshots.map((s) => s.stored)).toEqual(["dry-run", "dry-run"]);
    expect(answer.drift.map((d) => d.result)).toEqual(["pass"]);
    expect(await readdir(store)).toEqual([]);
  });

  it("records what the token may not read as not available, and says the control cannot be shown", async () => {
    gh.state.faults.push({
      method: "GET",
      pathPattern: "/orgs/{org}/outside_collaborators",
      status: 403,
      forbidden: true,
    });
    const run = await monitor(hours(0));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "? organization acme: outside_collaborators_allowed: not available: HTTP 403 from GET /orgs/acme/outside_collaborators: Resource not accessible by integration; needs organization Members: read",
    );
    expect(run.stdout).toContain("GOV-01: unknown");
  });

  it("refuses to run without a token or a desired state, saying what to do", async () => {
    delete process.env.GITHUB_TOKEN;
    const noToken = await monitor(hours(0));
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("GITHUB_TOKEN is not set");
    process.env.GITHUB_TOKEN = "ghs_x";
    await writeTree(compliance, { "soc2.yml": minimalRepo()["soc2.yml"]! });
    const none = await monitor(hours(0));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("declares no monitoring.desired_state");
    const badRepo = await monitor(hours(0), "--repo", "not a repo");
    expect(badRepo.code).toBe(2);
    expect(badRepo.stderr).toContain('--repo "not a repo" is not owner/name');
  });

  it("opens one drift issue per failing control in the compliance repository, never twice, and closes it when the drift is gone", async () => {
    gh.state.addRepository({
      owner: "acme",
      name: "compliance",
      files: { "soc2.yml": "version: 1\n" },
    });
    const issues = () => gh.state.issues.of("acme/compliance");
    web.protectBranch("main", {
      requiredApprovingReviewCount: 1,
      dismissStaleReviews: true,
      allowForcePushes: true,
    });

    const dry = await monitor(hours(0), "--issues", "acme/compliance", "--dry-run");
    expect(dry.stdout).toContain("would open the drift issue of GOV-01 in acme/compliance");
    expect(issues()).toEqual([]);

    const first = await monitor(hours(0), "--issues", "acme/compliance");
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("opened the drift issue #1 of GOV-01 in acme/compliance");
    expect(issues()).toHaveLength(1);
    expect(issues()[0]).toMatchObject({
      state: "open",
      labels: ["soc2-drift"],
      title: "Drift: GOV-01 no longer holds on GitHub",
    });
    expect(issues()[0]!.body).toContain(
      "`block_force_pushes`: blocking force pushes required; the snapshot shows off",
    );

    // Another run (or replica) with the same drift finds the issue and leaves it alone.
    const again = await monitor(hours(1), "--issues", "acme/compliance");
    expect(again.stdout).not.toContain("drift issue");
    expect(issues()).toHaveLength(1);

    // A race between replicas that opened a second issue is healed: the newer one is closed.
    gh.state.issues.of("acme/compliance").push({ ...issues()[0]!, id: 99, number: 2 });
    const healed = await monitor(hours(2), "--issues", "acme/compliance");
    expect(healed.stdout).toContain(
      "closed the drift issue #2 of GOV-01 in acme/compliance (a duplicate)",
    );
    expect(issues().map((i) => [i.number, i.state, i.stateReason])).toEqual([
      [1, "open", null],
      [2, "closed", "duplicate"],
    ]);

    web.protectBranch("main", { requiredApprovingReviewCount: 1, dismissStaleReviews: true });
    const fixed = await monitor(hours(3), "--issues", "acme/compliance");
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain("closed the drift issue #1 of GOV-01 in acme/compliance");
    expect(issues()[0]).toMatchObject({ state: "closed", stateReason: "completed" });

    // Each opening and closing is evidence, and the repository still validates.
    await cp(join(store, "evidence"), join(compliance, "evidence"), { recursive: true });
    const events = await readdir(
      join(compliance, `evidence/drift/acme/compliance/gov-01/${hours(0).getUTCFullYear()}`),
    );
    expect(events.sort()).toEqual([
      "issue-1-closed.yml",
      "issue-1-opened.yml",
      "issue-2-closed.yml",
    ]);
    const validate = await runCliAt(hours(4), "validate", compliance);
    expect(validate.stdout).toBe("");
    expect(validate.code).toBe(0);
  });

  it("writes through the GitHub API store when EVIDENCE_REPO names the evidence repository, and reads it back to store an unchanged snapshot compactly", async () => {
    const evidence = gh.state.addRepository({
      owner: "acme",
      name: "evidence",
      files: { "README.md": "evidence\n" },
    });
    delete process.env.EVIDENCE_GIT_DIR;
    process.env.EVIDENCE_REPO = "acme/evidence";
    expect((await monitor(hours(0))).code).toBe(0);
    const second = await monitor(hours(1));
    expect(second.stdout).toMatch(
      /recorded settings-snapshots\/github\/repos\/acme\/web\/\S+ \(unchanged: same settings as /,
    );
    const files = evidence.listFiles().filter((f) => f.startsWith("evidence/settings-snapshots/"));
    expect(files).toHaveLength(4);
    expect(await readdir(store)).toEqual([]);
  });

  it("starts a git evidence store that does not exist yet", async () => {
    process.env.EVIDENCE_GIT_DIR = join(store, "not-yet");
    const run = await monitor(hours(0));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(await readdir(join(store, "not-yet/evidence/settings-snapshots/github"))).toEqual([
      "orgs",
      "repos",
    ]);
  });
});
