// The Action's report in-process: an exception (an emergency let-through) stands out in the run's
// log as a warning, and the job summary's headline does not claim the policy is met.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { report } from "../../action/report.js";
import { evaluate } from "../../src/core/change-management/evaluate.js";
import { approve, bob, facts, NOW, policy } from "../core/change-management/builder.js";

const EMERGENCY = policy({
  emergency: { label: "emergency-change", retrospective_review_hours: 48 },
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

// @actions/core remembers the summary file of its first write: every test shares one folder.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "soc2-report-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function reportOf(f: ReturnType<typeof facts>) {
  const summaryPath = join(dir, "summary.md");
  await writeFile(summaryPath, "");
  await writeFile(join(dir, "output.txt"), "");
  vi.stubEnv("GITHUB_STEP_SUMMARY", summaryPath);
  vi.stubEnv("GITHUB_OUTPUT", join(dir, "output.txt"));
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const outcome = await report(
    { facts: f, verdict: evaluate(f, EMERGENCY, { now: NOW }), policySource: "acme/web:soc2.yml" },
    join(dir, "out"),
  );
  vi.restoreAllMocks();
  return { outcome, log: written.join(""), summary: await readFile(summaryPath, "utf8") };
}

describe("the Action's report", () => {
  it("an emergency let-through passes, with a warning and an honest headline", async () => {
    const { outcome, log, summary } = await reportOf(facts({ labels: ["emergency-change"] }));
    expect(outcome).toBe("pass");
    expect(log).toMatch(
      /::warning title=soc2%3A emergency exception%3A the change-management policy is not met::emergency change \(labelled emergency-change\) let through although required-approvals \(failed\)\. Retrospective review due by 2026-05-03T12:00:00\.000Z\./,
    );
    expect(summary).toMatch(/^## ⚠️ Pull request #42 was let through as an emergency change/m);
    expect(summary).not.toMatch(/meets the change-management policy/);
  });

  it("a change that meets the policy gets no exception warning", async () => {
    const { outcome, log, summary } = await reportOf(facts({ reviews: [approve(bob)] }));
    expect(outcome).toBe("pass");
    expect(log).not.toMatch(/::warning/);
    expect(summary).toMatch(/^## ✅ Pull request #42 meets the change-management policy$/m);
  });
});
