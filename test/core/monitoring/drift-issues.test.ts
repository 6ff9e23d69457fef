import { describe, expect, it } from "vitest";
import { planAppend } from "../../../src/core/evidence/index.js";
import {
  buildDriftEventRecord,
  driftIssueBody,
  driftMarker,
  planDriftIssues,
  type ControlDrift,
  type DriftIssue,
} from "../../../src/core/monitoring/index.js";
import { TEST_NOW } from "../../helpers/clock.js";

const failing: ControlDrift = {
  control: "CHG-02",
  result: "fail",
  checks: [
    {
      control: "CHG-02",
      declaration: 0,
      target: "repository acme/web branch main",
      requirement: "block_force_pushes",
      result: "fail",
      reason: "blocking force pushes required; the snapshot shows off",
      record: "settings-snapshots/github/repos/acme/web/2041/02/20410225T100000Z",
    },
  ],
};
const passing: ControlDrift = { control: "CHG-02", result: "pass", checks: [] };
const unknown: ControlDrift = { control: "CHG-02", result: "unknown", checks: [] };
const issue = (
  number: number,
  body = driftIssueBody(failing),
  state: DriftIssue["state"] = "open",
): DriftIssue => ({
  number,
  body,
  state,
});

describe("drift issues", () => {
  it("opens one issue for a failing control that has none, with the reasons and its marker", () => {
    const [open, ...rest] = planDriftIssues([failing], []);
    expect(rest).toEqual([]);
    expect(open).toMatchObject({
      action: "open",
      control: "CHG-02",
      title: "Drift: CHG-02 no longer holds on GitHub",
    });
    const body = (open as { body: string }).body;
    expect(body).toContain(
      "- **repository acme/web branch main**: `block_force_pushes`: blocking force pushes required; the snapshot shows off",
    );
    expect(body).not.toContain("settings-snapshots/"); // a new snapshot each run must not rewrite the issue
    expect(body.endsWith(driftMarker("CHG-02"))).toBe(true);
  });

  it("does nothing when the open issue already says it, updates it when the drift changed", () => {
    expect(planDriftIssues([failing], [issue(7)])).toEqual([]);
    expect(planDriftIssues([failing], [issue(7, `older text\n${driftMarker("CHG-02")}`)])).toEqual([
      { action: "update", control: "CHG-02", number: 7, body: driftIssueBody(failing) },
    ]);
  });

  it("closes the issue when the control holds again, and leaves it while the snapshots cannot show it", () => {
    expect(planDriftIssues([passing], [issue(7)])).toEqual([
      { action: "close", control: "CHG-02", number: 7, reason: "completed" },
    ]);
    expect(planDriftIssues([unknown], [issue(7)])).toEqual([]);
    expect(planDriftIssues([unknown], [])).toEqual([]);
    expect(planDriftIssues([passing], [])).toEqual([]);
  });

  it("ignores closed issues and other controls' issues, and closes duplicates a race opened", () => {
    expect(planDriftIssues([failing], [issue(3, driftIssueBody(failing), "closed")])).toMatchObject(
      [{ action: "open" }],
    );
    expect(planDriftIssues([failing], [issue(4, `x\n${driftMarker("ACC-01")}`)])).toMatchObject([
      { action: "open" },
    ]);
    expect(planDriftIssues([failing], [issue(9), issue(8)])).toEqual([
      { action: "close", control: "CHG-02", number: 9, reason: "duplicate" },
    ]);
  });

  it("records each opening and closing as a drift-event record that validates", () => {
    const source = { type: "cli" as const, name: "soc2 monitor" };
    const opened = buildDriftEventRecord({
      action: { action: "open", control: "CHG-02", title: "t", body: "b" },
      issue: {
        repository: "acme/compliance",
        number: 7,
        url: "https://github.com/acme/compliance/issues/7",
      },
      drift: failing,
      at: TEST_NOW,
      source,
    });
    expect(opened.id).toBe(
      `drift/acme/compliance/chg-02/${TEST_NOW.toISOString().slice(0, 4)}/issue-7-opened`,
    );
    expect(opened.content).toMatchObject({
      control: "CHG-02",
      action: "opened",
      issue: { number: 7 },
    });
    const closed = buildDriftEventRecord({
      action: { action: "close", control: "CHG-02", number: 7, reason: "completed" },
      issue: { repository: "acme/compliance", number: 7 },
      drift: passing,
      at: TEST_NOW,
      source,
    });
    expect(closed.content).toMatchObject({ action: "closed", reason: "completed", checks: [] });
    for (const record of [opened, closed]) {
      const plan = planAppend({ record, evidencePath: "evidence", head: undefined });
      expect(plan.ok ? [] : plan.problems).toEqual([]);
    }
  });
});
