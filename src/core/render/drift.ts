import { escapeControl } from "../diagnostics.js";
import type { CheckResult, ControlDrift } from "../monitoring/index.js";

const MARK: Record<CheckResult, string> = { pass: "✓", fail: "✗", unknown: "?" };

/** The drift verdict, one control a block, every check with its plain reason. */
export function renderDriftText(drift: readonly ControlDrift[]): string {
  if (drift.length === 0)
    return "No desired state is declared: add monitoring.desired_state to soc2.yml (see docs/monitoring.md).\n";
  const lines: string[] = [];
  for (const control of drift) {
    lines.push(`${control.control}: ${control.result}`);
    for (const c of control.checks)
      lines.push(
        `  ${MARK[c.result]} ${escapeControl(c.target)}: ${c.requirement}: ${escapeControl(c.reason)}`,
      );
  }
  const count = (r: CheckResult) => drift.filter((c) => c.result === r).length;
  lines.push(
    `Drift: ${count("fail")} control(s) failing, ${count("unknown")} that the snapshots cannot show, ${count("pass")} holding.`,
  );
  return lines.join("\n") + "\n";
}
