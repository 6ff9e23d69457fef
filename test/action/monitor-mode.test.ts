// The Action's mode: monitor, run as a runner runs it (the bundle, INPUT_* variables) against the
// GitHub stand-in: it records snapshots in the evidence repository through the API, fails the
// step on drift with annotations and a job summary, and opens the drift issue.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GitHubStandIn, RepositoryState } from "../../src/dev/github-stand-in/index.js";
import { periodOf } from "../../src/core/monitoring/index.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import type { OpenApiChecker } from "../support/github-openapi.js";
import { monitoredAcme } from "../support/monitored-acme.js";
import { runAction } from "./run-action.js";

const root = new URL("../../", import.meta.url).pathname;
const bundle = process.env.SOC2_ACTION_BUNDLE ?? join(root, "dist/index.js");

const MONITORING = `monitoring:
  organization: acme
  repositories: [acme/web]
  desired_state:
    - control: GOV-01
      branch_protection:
        required_approving_reviews: 1
        block_force_pushes: true
    - control: GOV-01
      organization: { two_factor_required: true }
`;

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let web: RepositoryState;
let compliance: RepositoryState;
let dir: string;

beforeAll(() => {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run bundle`);
});

beforeEach(async () => {
  ({ gh, checker, web } = await monitoredAcme());
  compliance = gh.state.addRepository({
    owner: "acme",
    name: "compliance",
    files: { "README.md": "compliance\n" },
  });
  dir = await tempDir("soc2-action-monitor-");
  const files = minimalRepo();
  files["soc2.yml"] += MONITORING;
  await writeTree(join(dir, "workspace"), files);
});

afterEach(async () => {
  await gh?.close();
});

/** One scheduled run of the workflow in acme/compliance, on the suite's fake clock. */
const scheduled = (inputs: Record<string, string> = {}) =>
  runAction({
    dir,
    apiUrl: gh.url,
    eventName: "schedule",
    payload: { schedule: "17 6 * * 1" },
    repository: "acme/compliance",
    inputs: { mode: "monitor", "issues-repository": "acme/compliance", ...inputs },
    env: {
      NODE_OPTIONS: process.env.NODE_OPTIONS ?? "",
      SOC2_TEST_CLOCK: process.env.SOC2_TEST_CLOCK ?? "",
      SOC2_TEST_CLOCK_ORIGIN: process.env.SOC2_TEST_CLOCK_ORIGIN ?? "",
      GITHUB_RUN_ID: "4242",
    },
  });

describe("the Action's mode: monitor", () => {
  it("records snapshots in this repository, then fails the step on drift and opens its issue", async () => {
    const first = await scheduled();
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.outputs.result).toBe("pass");
    expect(first.outputs.snapshots).toMatch(
      /^settings-snapshots\/github\/orgs\/acme\/\d{4}\/\d{2}\/\d{8}T\d{6}Z\nsettings-snapshots\/github\/repos\/acme\/web\//,
    );
    expect(first.summary).toContain("## soc2 monitor");
    expect(first.summary).toContain("GOV-01: pass");
    const recorded = compliance
      .listFiles()
      .filter((f) => f.startsWith("evidence/settings-snapshots/"));
    expect(recorded).toHaveLength(2);
    expect(compliance.readFile(recorded[1]!)).toContain(
      "run_url: https://github.com/acme/compliance/actions/runs/4242",
    );

    web.protectBranch("main", { requiredApprovingReviewCount: 0, allowForcePushes: true });
    // A second later: a run in the same second would be the same record.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const drifted = await scheduled();
    expect(drifted.code).toBe(1);
    expect(drifted.outputs.result).toBe("fail");
    expect(drifted.stdout).toContain(
      "::error title=soc2%3A GOV-01 drifted::repository acme/web branch main: block_force_pushes: blocking force pushes required; the snapshot shows off",
    );
    expect(drifted.stdout).toContain(
      "::error::soc2: GOV-01 drifted from monitoring.desired_state: see the job summary",
    );
    expect(drifted.summary).toContain("- drift issue of GOV-01: open #1");
    expect(gh.state.issues.of("acme/compliance")).toMatchObject([
      { number: 1, state: "open", labels: ["soc2-drift"] },
    ]);
    expect(JSON.stringify(gh.requests)).not.toContain("ghs_actionTestToken");
    checker.assertClean();
  });

  it("reads the access reviews merged in the checkout: a removal the snapshot still shows fails the step", async () => {
    const period = periodOf(TEST_NOW);
    await writeTree(join(dir, "workspace"), {
      [`access-reviews/${period}.yaml`]: `period: ${period}
organization: acme
control: GOV-01
reviewers: [olivia]
generated_at: "${TEST_NOW.toISOString()}"
repositories: [acme/web]
entries:
  - account: olivia
    kind: owner
    target: acme
    permission: owner
    decision: remove
    note: TICKET-9
`,
    });
    const run = await scheduled();
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe("fail");
    expect(run.stdout).toContain(
      `olivia's owner access to acme, marked remove in access-reviews/${period}.yaml, is not carried out`,
    );
    checker.assertClean();
  });

  it("says what is missing without a checkout, and refuses an unknown mode", async () => {
    const bare = await runAction({
      dir,
      apiUrl: gh.url,
      eventName: "schedule",
      payload: {},
      repository: "acme/compliance",
      inputs: { mode: "monitor" },
      workspace: join(dir, "empty"),
    });
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain("::error::soc2: soc2.yml is not in the workspace");
    const wrong = await scheduled({ mode: "watch" });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('::error::soc2: the mode input is "watch"');
  });
});
