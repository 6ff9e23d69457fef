import type { AppendPlan } from "../../core/evidence/append-plan.js";

/** An ISO 8601 time to the second, as records state it. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The commit message of one record: what it is on the first line, the chain in trailers. */
export function commitMessage(plan: AppendPlan): string {
  const { record, head } = plan;
  const lines = [
    `evidence: ${record.kind} ${record.id}`,
    "",
    `Evidence-Sequence: ${head.sequence}`,
    `Evidence-Digest: ${record.digest}`,
    `Evidence-Record-Digest: ${head.digest}`,
  ];
  if (record.source.delivery_id) lines.push(`GitHub-Delivery: ${record.source.delivery_id}`);
  return `${lines.join("\n")}\n`;
}
