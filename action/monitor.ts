import { existsSync } from "node:fs";
import { join } from "node:path";
import * as core from "@actions/core";
import { systemClock } from "../src/adapters/clock.js";
import { monitorCommand } from "../src/cli/commands/monitor.js";
import { EXIT, UsageError, type Output } from "../src/cli/output.js";
import { worst, type ControlDrift } from "../src/core/monitoring/index.js";
import { escapeControl } from "../src/core/diagnostics.js";
import { renderDriftText } from "../src/core/render/drift.js";
import type { ActionInputs } from "./inputs.js";

/** What `soc2 monitor --format json` answers. */
interface MonitorAnswer {
  snapshots: Array<{ target: string; record: string; same_as?: string; stored: string }>;
  drift: ControlDrift[];
  issues: Array<{ action: string; control: string; number?: number; stored: string }>;
}

/**
 * `mode: monitor`: runs `soc2 monitor` itself (the same command, the same core) with the
 * Action's inputs as its settings, on the soc2.yml of the checked-out workspace, then reports
 * the drift as annotations, a job summary and the `result` output. Fails the step on drift.
 */
export async function monitorMode(inputs: ActionInputs): Promise<void> {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const config = join(workspace, inputs.config);
  if (!existsSync(config))
    throw new Error(
      `${inputs.config} is not in the workspace (${workspace}): add actions/checkout with persist-credentials: false before this step`,
    );
  const repository = process.env.GITHUB_REPOSITORY ?? "";
  const env: NodeJS.ProcessEnv = {
    ...pick(process.env, [
      "GITHUB_API_URL",
      "GITHUB_ACTIONS",
      "GITHUB_REPOSITORY",
      "GITHUB_RUN_ID",
      "GITHUB_SERVER_URL",
      "GITHUB_EVENT_NAME",
    ]),
    GITHUB_TOKEN: inputs.token,
    EVIDENCE_REPO: inputs.evidenceRepository || repository,
    ...(inputs.evidenceBranch ? { EVIDENCE_BRANCH: inputs.evidenceBranch } : {}),
    ...(inputs.evidencePath ? { EVIDENCE_PATH: inputs.evidencePath } : {}),
  };
  let text = "";
  let problems = "";
  const io: Output = {
    out: (t) => void (text += t),
    err: (t) => void (problems += t),
    color: false,
    now: systemClock,
  };
  let code: number;
  try {
    code = await monitorCommand(
      {
        config,
        format: "json",
        ...(inputs.dryRun ? { dryRun: true } : {}),
        ...(inputs.issuesRepository ? { issues: inputs.issuesRepository } : {}),
      },
      io,
      env,
    );
  } catch (error) {
    for (const line of problems.split("\n").filter(Boolean)) core.error(line);
    if (error instanceof UsageError) throw new Error(error.message);
    throw error;
  }
  const answer = JSON.parse(text) as MonitorAnswer;
  for (const control of answer.drift)
    for (const check of control.checks.filter((c) => c.result !== "pass")) {
      const say = check.result === "fail" ? core.error : core.warning;
      say(`${escapeControl(check.target)}: ${check.requirement}: ${escapeControl(check.reason)}`, {
        title: `soc2: ${control.control} ${check.result === "fail" ? "drifted" : "cannot be shown"}`,
      });
    }
  const result = worst(answer.drift.map((d) => d.result));
  await core.summary.addRaw(summaryOf(answer, inputs.dryRun)).write();
  core.setOutput("result", result);
  core.setOutput("snapshots", answer.snapshots.map((s) => s.record).join("\n"));
  if (code === EXIT.findings)
    core.setFailed(
      `soc2: ${answer.drift
        .filter((d) => d.result === "fail")
        .map((d) => d.control)
        .join(", ")} drifted from monitoring.desired_state: see the job summary`,
    );
}

function summaryOf(answer: MonitorAnswer, dryRun: boolean): string {
  const lines = ["## soc2 monitor", ""];
  for (const s of answer.snapshots)
    lines.push(
      `- ${dryRun ? "would record" : s.stored === "exists" ? "already recorded" : "recorded"} \`${s.record}\`` +
        (s.same_as ? ` (unchanged: same settings as \`${s.same_as}\`)` : ""),
    );
  lines.push("", "```text", renderDriftText(answer.drift).trimEnd(), "```");
  for (const i of answer.issues)
    lines.push(
      `- drift issue of ${i.control}: ${i.action}${i.number ? ` #${i.number}` : ""}${dryRun ? " (dry run)" : ""}`,
    );
  return lines.join("\n") + "\n";
}

function pick(env: NodeJS.ProcessEnv, names: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(names.flatMap((n) => (env[n] ? [[n, env[n]]] : [])));
}
