import type { ControlDrift } from "./drift.js";

/** The label every drift issue carries, so the monitor lists them in one request. */
export const DRIFT_LABEL = "soc2-drift";

/**
 * The hidden marker that ties an issue to its control. Found in the body, not the title, so that
 * people may retitle the issue; one control, one marker, whatever the run or replica.
 */
export function driftMarker(control: string): string {
  return `<!-- soc2-drift control=${control} -->`;
}

const MARKER = /<!-- soc2-drift control=([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) -->/;

/** An issue of the compliance repository, as far as drift issues need it. */
export interface DriftIssue {
  number: number;
  state: "open" | "closed";
  body: string;
}

export type DriftIssueAction =
  | { action: "open"; control: string; title: string; body: string }
  | { action: "update"; control: string; number: number; body: string }
  | {
      action: "close";
      control: string;
      number: number;
      reason: "completed" | "duplicate";
    };

/**
 * What to do with the issues so that each failing control has exactly one open issue that says
 * what drifted, and no control that holds has one. Idempotent: applied twice (or by two replicas
 * that both saw the same issues), the second plan is empty, except that a race that opened two
 * issues for one control is healed by closing the newer as a duplicate. An `unknown` control
 * changes nothing: the snapshot could not show it, so it neither opens nor closes an issue.
 */
export function planDriftIssues(
  drift: readonly ControlDrift[],
  issues: readonly DriftIssue[],
): DriftIssueAction[] {
  const open = new Map<string, DriftIssue[]>();
  for (const issue of issues) {
    const control = MARKER.exec(issue.body)?.[1];
    if (!control || issue.state !== "open") continue;
    open.set(
      control,
      [...(open.get(control) ?? []), issue].sort((a, b) => a.number - b.number),
    );
  }
  const actions: DriftIssueAction[] = [];
  for (const control of drift) {
    const [kept, ...duplicates] = open.get(control.control) ?? [];
    for (const d of duplicates)
      actions.push({
        action: "close",
        control: control.control,
        number: d.number,
        reason: "duplicate",
      });
    if (control.result === "fail") {
      const body = driftIssueBody(control);
      if (!kept)
        actions.push({
          action: "open",
          control: control.control,
          title: driftIssueTitle(control),
          body,
        });
      else if (kept.body !== body)
        actions.push({ action: "update", control: control.control, number: kept.number, body });
    } else if (control.result === "pass" && kept)
      actions.push({
        action: "close",
        control: control.control,
        number: kept.number,
        reason: "completed",
      });
  }
  return actions;
}

export function driftIssueTitle(control: ControlDrift): string {
  return `Drift: ${control.control} no longer holds on GitHub`;
}

/**
 * The issue body: the failing requirements with their reasons, then the marker. It names no
 * snapshot record (each run writes a new one), so an unchanged drift leaves the issue untouched.
 */
export function driftIssueBody(control: ControlDrift): string {
  const failing = control.checks.filter((c) => c.result === "fail");
  const lines = [
    `The GitHub settings snapshots no longer meet the desired state declared for **${control.control}** in \`soc2.yml\` (\`monitoring.desired_state\`).`,
    "",
    ...failing.map((c) => `- **${c.target}**: \`${c.requirement}\`: ${c.reason}`),
    "",
    "Restore the settings, or change the desired state through a pull request. The monitor closes this issue when a snapshot shows the drift is gone. Re-derive this verdict offline with `soc2 drift`.",
    "",
    driftMarker(control.control),
  ];
  return lines.join("\n");
}
