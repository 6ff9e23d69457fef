import { asObject, asString } from "../../core/json-read.js";
import type {
  AppendResult,
  EvidenceStore,
  PendingRecord,
} from "../../core/evidence/pending-record.js";
import {
  buildDriftEventRecord,
  DRIFT_LABEL,
  planDriftIssues,
  type ControlDrift,
  type DriftIssue,
  type DriftIssueAction,
} from "../../core/monitoring/index.js";
import type { Clock } from "../clock.js";
import { attempt, type GitHubClient } from "../github/client.js";
import { openIssuesLabelled } from "../github/labelled-issues.js";

export interface SyncInput {
  client: GitHubClient;
  /** The compliance repository (owner/name) that holds the drift issues. */
  repository: string;
  drift: readonly ControlDrift[];
  /** Where the openings and closings are recorded; absent: a dry run (plan only, nothing changed). */
  store?: EvidenceStore;
  clock: Clock;
  source: PendingRecord["source"];
}

export interface SyncedAction {
  action: DriftIssueAction;
  /** The issue number (for an opening: once GitHub created it). */
  number?: number;
  stored?: AppendResult;
}

/**
 * Brings the compliance repository's drift issues in line with the drift verdict: one open issue
 * per failing control, closed when it holds again. The existing issues are found by label and
 * marker before anything is created, so reruns and replicas do not open duplicates (and a race
 * that did is healed on the next run). Each opening, update and closing is recorded as evidence.
 */
export async function syncDriftIssues(input: SyncInput): Promise<SyncedAction[]> {
  const [owner, repo] = input.repository.split("/");
  // Only open issues are listed: a closed one is done with, whatever its marker.
  const issues: DriftIssue[] = (
    await openIssuesLabelled(input.client, input.repository, DRIFT_LABEL, "drift issues")
  ).map((i) => ({ ...i, state: "open" }));
  const plan = planDriftIssues(input.drift, issues);
  if (!input.store)
    return plan.map((action) => ({
      action,
      ...("number" in action ? { number: action.number } : {}),
    }));
  const out: SyncedAction[] = [];
  for (const action of plan) {
    const answer = await apply(input.client, owner!, repo!, action, input.repository);
    const drift = input.drift.find((d) => d.control === action.control)!;
    const record = buildDriftEventRecord({
      action,
      issue: {
        repository: input.repository,
        number: answer.number,
        ...(answer.url ? { url: answer.url } : {}),
      },
      drift,
      at: input.clock(),
      source: input.source,
    });
    out.push({ action, number: answer.number, stored: await input.store.append(record) });
  }
  return out;
}

async function apply(
  client: GitHubClient,
  owner: string,
  repo: string,
  action: DriftIssueAction,
  repository: string,
): Promise<{ number: number; url?: string }> {
  const answer = (response: { data: unknown }) => {
    const data = asObject(response.data);
    const url = asString(data.html_url);
    return { number: typeof data.number === "number" ? data.number : 0, ...(url ? { url } : {}) };
  };
  if (action.action === "open")
    return answer(
      await attempt(`opening the drift issue of ${action.control} in ${repository}`, () =>
        client.request("POST /repos/{owner}/{repo}/issues", {
          owner,
          repo,
          title: action.title,
          body: action.body,
          labels: [DRIFT_LABEL],
        }),
      ),
    );
  const verb = action.action === "update" ? "updating" : "closing";
  return answer(
    await attempt(
      `${verb} drift issue #${action.number} of ${action.control} in ${repository}`,
      () =>
        client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
          owner,
          repo,
          issue_number: action.number,
          ...(action.action === "update"
            ? { body: action.body }
            : {
                state: "closed",
                state_reason: action.reason === "duplicate" ? "duplicate" : "completed",
              }),
        }),
    ),
  );
}
