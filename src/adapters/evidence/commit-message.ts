import type { AppendPlan } from "../../core/evidence/append-plan.js";

/** An ISO 8601 time to the second, as records state it. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Lines listing records in a batch's message: enough to find them, not a wall of text. */
const LISTED = 50;

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

/**
 * The commit message of a batch (group commit): one record keeps the single-record message; more
 * list each record in chain order, and the trailers give the range of sequences and the digest of
 * the last record (the chain head the commit leaves).
 */
export function batchCommitMessage(plans: readonly AppendPlan[]): string {
  const [first] = plans;
  const last = plans.at(-1);
  if (!first || !last) throw new Error("a batch commit needs at least one record");
  if (plans.length === 1) return commitMessage(first);
  const listed = plans
    .slice(0, LISTED)
    .map((p) => `- ${p.head.sequence} ${p.record.kind} ${p.record.id}`);
  if (plans.length > LISTED) listed.push(`- … and ${plans.length - LISTED} more`);
  const lines = [
    `evidence: ${plans.length} records, sequence ${first.head.sequence} to ${last.head.sequence}`,
    "",
    ...listed,
    "",
    `Evidence-Sequence: ${first.head.sequence}-${last.head.sequence}`,
    `Evidence-Record-Digest: ${last.head.digest}`,
  ];
  return `${lines.join("\n")}\n`;
}
