import { describe, expect, it } from "vitest";
import { contentDigest } from "../../../src/core/digest.js";
import { planAppend } from "../../../src/core/evidence/index.js";
import {
  buildSnapshotRecord,
  controlsForScope,
  readDesiredState,
  resolveSnapshots,
  type SnapshotScope,
} from "../../../src/core/monitoring/index.js";
import { validateRepository } from "../../../src/core/validate.js";
import { TEST_NOW } from "../../helpers/clock.js";
import { minimalRepo } from "../../helpers/minimal-repo.js";
import { organizationSettings, repositorySettings } from "./samples.js";

const scope: SnapshotScope = { type: "repository", name: "acme/web" };
const source = { type: "cli" as const, name: "soc2 monitor 0.1.0" };
const at = (minutes: number) => new Date(TEST_NOW.getTime() + minutes * 60_000);
const record = (
  minutes: number,
  settings: object,
  previous?: { id: string; content: Record<string, unknown> },
) =>
  buildSnapshotRecord({
    scope,
    capturedAt: at(minutes),
    settings,
    controls: ["CHG-02"],
    source,
    ...(previous ? { previous } : {}),
  });

describe("settings-snapshot records", () => {
  it("holds the settings in full the first time, with their digest, and validates against the evidence schema", () => {
    const first = record(0, repositorySettings());
    expect(first.id).toBe(
      `settings-snapshots/github/repos/acme/web/${at(0).toISOString().slice(0, 4)}/${at(0).toISOString().slice(5, 7)}/${first.id.split("/").at(-1)}`,
    );
    expect(first.content).toMatchObject({
      system: "github",
      target: "repository acme/web",
      scope,
      settings_digest: contentDigest(repositorySettings()),
      settings: repositorySettings(),
    });
    const plan = planAppend({ record: first, evidencePath: "evidence", head: undefined });
    expect(plan.ok ? [] : plan.problems).toEqual([]);
  });

  it("stores an unchanged snapshot as a reference to the record that holds the settings", () => {
    const first = record(0, repositorySettings());
    const second = record(60, repositorySettings(), first);
    expect(second.content.settings).toBeUndefined();
    expect(second.content.same_as).toBe(first.id);
    // A third, unchanged again, points at the full record, not at the reference.
    const third = record(120, repositorySettings(), second);
    expect(third.content.same_as).toBe(first.id);
    const plan = planAppend({ record: third, evidencePath: "evidence", head: undefined });
    expect(plan.ok ? [] : plan.problems).toEqual([]);
    // Changed settings are stored in full again.
    const changed = record(
      180,
      repositorySettings({ outside_collaborators: [], branches: [] }),
      third,
    );
    expect(changed.content.same_as).toBeUndefined();
    expect(changed.content.settings).toBeDefined();
  });

  it("resolves references when read back, and refuses settings that no longer match their digest", () => {
    const first = record(0, repositorySettings());
    const second = record(60, repositorySettings(), first);
    const stored = [first, second].map((r) => ({ id: r.id, kind: r.kind, content: r.content }));
    const { snapshots, problems } = resolveSnapshots(stored);
    expect(problems).toEqual([]);
    expect(snapshots.map((s) => [s.record, s.captured_at])).toEqual([
      [first.id, at(0).toISOString()],
      [second.id, at(60).toISOString()],
    ]);
    expect(snapshots[1]!.settings).toEqual(repositorySettings());

    const tampered = {
      ...first.content,
      settings: repositorySettings({
        outside_collaborators: [{ login: "x", id: 1, role_name: "admin" }],
      }),
    };
    const bad = resolveSnapshots([{ ...stored[0]!, content: tampered }, stored[1]!]);
    expect(bad.snapshots).toEqual([]);
    expect(bad.problems.map((p) => p.record)).toEqual([first.id, second.id]);
    expect(bad.problems[1]!.message).toContain(`through same_as ${first.id}`);
    const orphan = resolveSnapshots([stored[1]!]);
    expect(orphan.problems[0]!.message).toContain("the record it stands for is missing");
  });

  it("names the controls whose declarations a scope's snapshot evidences", () => {
    const desired = readDesiredState({
      organization: { github: "acme" },
      system: { boundaries: { repositories: ["acme/web", "acme/api"] } },
      monitoring: {
        desired_state: [
          { control: "CHG-02", branch_protection: { block_force_pushes: true } },
          { control: "VM-01", repositories: ["acme/api"], repository: { secret_scanning: true } },
          { control: "AC-03", organization: { two_factor_required: true } },
        ],
      },
    });
    expect(controlsForScope(desired, scope)).toEqual(["CHG-02"]);
    expect(controlsForScope(desired, { type: "repository", name: "acme/api" })).toEqual([
      "CHG-02",
      "VM-01",
    ]);
    expect(controlsForScope(desired, { type: "organization", name: "acme" })).toEqual(["AC-03"]);
    expect(organizationSettings().owners).toHaveLength(1);
  });
});

describe("soc2 validate on monitoring", () => {
  const files = (tree: Record<string, string>) =>
    Object.entries(tree).map(([path, text]) => {
      const bytes = new TextEncoder().encode(text);
      return { path, size: bytes.length, bytes };
    });

  it("points at a desired-state declaration that names an unknown control, and at a malformed one", () => {
    const repo = minimalRepo();
    repo["soc2.yml"] += `monitoring:
  desired_state:
    - control: GOV-01
      branch_protection: { required_approving_reviews: 1, block_force_pushes: true }
    - control: CHG-99
      organization: { two_factor_required: true }
    - control: GOV-01
      branch_protection: { required_approving_reviews: one }
`;
    const { diagnostics } = validateRepository(files(repo), { now: TEST_NOW });
    expect(
      diagnostics.filter((d) => d.severity === "error").map((d) => [d.line, d.column, d.rule]),
    ).toEqual([
      [12, 16, "unknown-control"],
      [15, 56, "schema-type"],
    ]);
  });

  it("accepts the records the monitor writes, and names a reference that leads nowhere", () => {
    const first = record(0, repositorySettings());
    const second = record(60, repositorySettings(), first);
    const repo = minimalRepo();
    const yaml = (r: typeof first) => {
      const plan = planAppend({
        record: { ...r, controls: ["GOV-01"] },
        evidencePath: "evidence",
        head: undefined,
      });
      if (!plan.ok) throw new Error(plan.problems.join("\n"));
      return plan.plan;
    };
    const second_ = yaml(second);
    repo[second_.path] = second_.text;
    const { diagnostics } = validateRepository(files(repo), { now: TEST_NOW });
    const reference = diagnostics.filter((d) => d.rule === "snapshot-reference");
    expect(reference).toEqual([
      expect.objectContaining({
        path: second_.path,
        message: expect.stringContaining(`same_as names "${first.id}"`),
      }),
    ]);
    const first_ = yaml(first);
    repo[first_.path] = first_.text;
    const again = validateRepository(files(repo), { now: TEST_NOW });
    expect(again.diagnostics.filter((d) => d.rule === "snapshot-reference")).toEqual([]);
  });
});
