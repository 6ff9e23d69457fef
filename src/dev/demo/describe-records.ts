import type { EvidenceRecord } from "../../core/model.js";
import { asObject as obj } from "../../core/json-read.js";
import { driftEventSummary } from "../../core/monitoring/drift-event.js";

export interface DemoRecords {
  text: string;
  /** What the story expected but the records do not show. */
  problems: string[];
  changes: number;
  exceptions: number;
  /** The portal built from the evidence repository, when it was built. */
  site?: string;
}

const short = (sha: unknown) => (typeof sha === "string" ? sha.slice(0, 7) : "?");

/** Says in a line or two what each change record shows, and checks the story's outcome. */
export function describeRecords(records: readonly EvidenceRecord[]): DemoRecords {
  const lines: string[] = [];
  const byKind = new Map<string, number>();
  let changes = 0;
  let exceptions = 0;
  for (const record of [...records].sort((a, b) => a.file.path.localeCompare(b.file.path))) {
    byKind.set(record.kind ?? "?", (byKind.get(record.kind ?? "?") ?? 0) + 1);
    if (record.kind === "settings-snapshot" || record.kind === "drift-event") {
      const content = obj(record.content);
      lines.push(`  ${record.file.path}`);
      lines.push(
        record.kind === "drift-event"
          ? `    ${driftEventSummary(content)}`
          : `    settings of ${String(content.target)}${typeof content.same_as === "string" ? " (unchanged: a reference to the earlier snapshot)" : ""}`,
      );
      continue;
    }
    if (record.kind !== "change-record") continue;
    changes++;
    const content = obj(record.content);
    const change = obj(content.change);
    const verdict = obj(content.verdict);
    const exception = content.exception ? obj(content.exception) : undefined;
    if (exception) exceptions++;
    const approvals = (Array.isArray(content.reviews) ? content.reviews : [])
      .map(obj)
      .filter((r) => r.state === "APPROVED");
    const approvedBy =
      approvals
        // Only an approval of the merged head counts; earlier ones are marked stale.
        .map(
          (r) =>
            `${String(obj(r.reviewer).login)} on ${short(r.commit_id)}${r.commit_id === change.head_sha ? " (the head)" : " (stale)"}`,
        )
        .join(", ") || "nobody";
    const what =
      change.type === "direct-push"
        ? `direct push ${short(change.merged_sha)} to ${String(change.base_ref)}`
        : `#${String(change.number)} "${String(change.title)}" by ${String(obj(change.author).login)}`;
    lines.push(`  ${record.file.path}`);
    const by = String(obj(change.merged_by).login ?? "?");
    lines.push(
      change.type === "direct-push"
        ? `    ${what}; pushed by ${by}`
        : `    ${what}; approved by ${approvedBy}; merged by ${by} (${String(change.merge_method ?? "?")})`,
    );
    lines.push(
      `    verdict: ${String(verdict.result).toUpperCase()}${exception ? ` → recorded as an exception (${String(exception.type)}): ${String(exception.reason)}` : ""}`,
    );
  }
  const counts = [...byKind]
    .sort()
    .map(([kind, n]) => `${n} ${kind}`)
    .join(", ");
  const problems: string[] = [];
  if (changes !== 3)
    problems.push(`expected 3 change records (two merges and a direct push), found ${changes}`);
  if (exceptions !== 2)
    problems.push(
      `expected 2 exceptions (the unreviewed merge and the direct push), found ${exceptions}`,
    );
  return {
    text: `${lines.join("\n")}\n\n  All records: ${counts}.\n`,
    problems,
    changes,
    exceptions,
  };
}
