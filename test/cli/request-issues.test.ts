// soc2 requests issues against the loopback GitHub stand-in, whose requests and answers are checked
// against GitHub's OpenAPI description.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "../../src/dev/github-stand-in/index.js";
import { runCliAt } from "../helpers/capture.js";
import { TEST_NOW } from "../helpers/clock.js";
import { minimalRepo } from "../helpers/minimal-repo.js";
import { tempDir, writeTree } from "../helpers/temp-dir.js";
import { createOpenApiChecker, type OpenApiChecker } from "../support/github-openapi.js";

let gh: GitHubStandIn;
let checker: OpenApiChecker;
let dir: string;
const saved = { ...process.env };

const request = (id: string, due: string) =>
  `id: ${id}\ndescription: Quarterly access review ${id}\ncriteria: [CC6.2]\ndue: "${due}"\nstatus: open\nsuggested: {controls: [GOV-01]}\n`;

beforeEach(async () => {
  checker = createOpenApiChecker();
  gh = await startGitHubStandIn({ onRequest: checker.onRequest, onResponse: checker.onResponse });
  gh.state.addRepository({
    owner: "acme",
    name: "compliance",
    files: { "soc2.yml": "version: 1\n" },
  });
  dir = await tempDir();
  await writeTree(dir, {
    ...minimalRepo(),
    "audit/2026/requests/PBC-1.yaml": request("PBC-1", "2026-08-01"),
    "audit/2026/requests/PBC-2.yaml": request("PBC-2", "2026-09-01"),
  });
  process.env.GITHUB_TOKEN = "ghs_requeststoken";
  process.env.GITHUB_API_URL = gh.url;
});

afterEach(async () => {
  process.env = { ...saved };
  checker.assertClean();
  await gh?.close();
});

const sync = (...args: string[]) =>
  runCliAt(TEST_NOW, "requests", "issues", dir, "--repo", "acme/compliance", ...args);

describe("soc2 requests issues", () => {
  it("opens one issue per open request, never twice, updates it, and closes it once answered", async () => {
    const issues = () => gh.state.issues.of("acme/compliance");
    const dry = await sync("--dry-run");
    expect(dry.stdout).toBe(
      "would open the issue of request 2026/PBC-1\nwould open the issue of request 2026/PBC-2\nDry run: 2 open request(s), 2 issue change(s) in acme/compliance\n",
    );
    expect(issues()).toEqual([]);

    const first = await sync();
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("opened the issue #1 of request 2026/PBC-1\n");
    expect(issues().map((i) => [i.number, i.state, i.labels, i.title])).toEqual([
      [1, "open", ["soc2-request"], "Audit request PBC-1: Quarterly access review PBC-1"],
      [2, "open", ["soc2-request"], "Audit request PBC-2: Quarterly access review PBC-2"],
    ]);
    expect(issues()[0]!.body).toContain(
      "- **Due:** 2026-08-01\n- **Criteria:** CC6.2\n- **Suggested:** GOV-01",
    );
    expect(issues()[0]!.body).toContain("<!-- soc2-request period=2026 id=PBC-1 -->");

    expect((await sync()).stdout).toBe(
      "✓ 2 open request(s), 0 issue change(s) in acme/compliance\n",
    );
    expect(issues()).toHaveLength(2);

    // The auditor moved a due date; PBC-1 is answered in the repository; PBC-2's file is renamed away.
    const path = join(dir, "audit/2026/requests/PBC-2.yaml");
    await writeFile(path, (await readFile(path, "utf8")).replace("2026-09-01", "2026-09-15"));
    expect((await sync()).stdout).toContain("updated the issue #2 of request 2026/PBC-2\n");
    expect(issues()[1]!.body).toContain("- **Due:** 2026-09-15");
    await writeFile(
      join(dir, "audit/2026/requests/PBC-1.yaml"),
      request("PBC-1", "2026-08-01").replace(
        "status: open",
        "status: answered\nanswer: {controls: [GOV-01]}",
      ),
    );
    await rm(path);
    const last = await sync();
    expect(last.stdout).toBe(
      "closed the issue #1 of request 2026/PBC-1 (completed)\nclosed the issue #2 of request 2026/PBC-2 (not planned)\n✓ 0 open request(s), 2 issue change(s) in acme/compliance\n",
    );
    expect(issues().map((i) => [i.state, i.stateReason])).toEqual([
      ["closed", "completed"],
      ["closed", "not_planned"],
    ]);
    expect((await sync()).stdout).toBe(
      "✓ 0 open request(s), 0 issue change(s) in acme/compliance\n",
    );
  });

  it("needs a token and an owner/name", async () => {
    delete process.env.GITHUB_TOKEN;
    expect((await sync()).stderr).toContain("GITHUB_TOKEN is not set");
    process.env.GITHUB_TOKEN = "x";
    const bad = await runCliAt(TEST_NOW, "requests", "issues", dir, "--repo", "nope");
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--repo "nope" is not owner/name'),
    });
  });
});
