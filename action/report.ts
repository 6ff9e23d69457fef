import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as core from "@actions/core";
import { diagnosticMessage, escapeControl } from "../src/core/diagnostics.js";
import {
  checkOutcome,
  renderCheckSummary,
  type PullRequestCheck,
} from "../src/core/render/pull-request-check.js";

/** Writes the facts and verdict files and reports the check: summary, annotations, outputs. */
export async function report(
  check: PullRequestCheck,
  outputDir: string,
): Promise<ReturnType<typeof checkOutcome>> {
  const { facts, verdict } = check;
  await mkdir(outputDir, { recursive: true });
  const stem = `pr-${facts.number}-${facts.head.sha.slice(0, 12)}`;
  const factsPath = join(outputDir, `${stem}.facts.json`);
  const verdictPath = join(outputDir, `${stem}.verdict.json`);
  await writeFile(factsPath, JSON.stringify(facts, null, 2) + "\n");
  await writeFile(verdictPath, JSON.stringify(verdict, null, 2) + "\n");

  for (const d of check.validation?.diagnostics ?? []) {
    const annotate = d.severity === "error" ? core.error : core.warning;
    annotate(diagnosticMessage(d), {
      file: d.path,
      startLine: d.line,
      startColumn: d.column,
      title: `soc2: ${d.rule}`,
    });
  }
  for (const v of check.appendOnly ?? []) {
    core.error(escapeControl(v.reason), {
      file: v.path,
      title: "soc2: evidence is append-only",
    });
  }
  for (const rule of verdict.rules) {
    const text = escapeControl(rule.reason);
    if (rule.result === "fail") core.error(text, { title: `soc2: ${rule.rule}` });
    else if (rule.result === "pending") core.warning(text, { title: `soc2: ${rule.rule}` });
  }

  // A let-through or a bypass must stand out in the run's log, not only in the summary.
  if (verdict.exception) {
    const due = verdict.exception.retrospective_review_due
      ? ` Retrospective review due by ${verdict.exception.retrospective_review_due}.`
      : "";
    core.warning(`${verdict.exception.reason}.${due}`, {
      title: `soc2: ${verdict.exception.type} exception: the change-management policy is not met`,
    });
  }

  const outcome = checkOutcome(check);
  await core.summary.addRaw(renderCheckSummary(check)).write();
  core.setOutput("result", outcome);
  core.setOutput("facts-path", factsPath);
  core.setOutput("verdict-path", verdictPath);
  return outcome;
}
